"""Organisations (issue 13): who runs competitions (KemenPANRB, a province's Biro Organisasi, a kabupaten/kota's
Bagian Organisasi), the area each serves, its contact and its letterhead (kop surat), and its public home
/o/<slug>/. The model is kipp's (imported by name into kipp/models.py)."""
