"""The discussion phase of a round (HotCRP's): before the round closes, the entries near the Top N cut whose judges
disagree by more than the round's spread are listed; their panels see each other's sheets, comment in a thread per
entry and may revise their final sheets within the discussion window. Every revision is audited with the totals
before and after; the announcement's method note counts the totals that changed (docs/judging.md, "Discussion")."""
