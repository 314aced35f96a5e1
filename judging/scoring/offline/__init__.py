"""Offline scoring (issue 15): the service worker served from the site root, the offline page, the JSON answers a
sheet or a field check gives to a sending queued on the judge's device, and the marker of the pages the device may
keep. docs/judging.md "Offline scoring"; docs/security.md (what the device keeps)."""
