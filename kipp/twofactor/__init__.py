"""Two-factor sign-in (issue 17): django-otp's TOTP devices (authenticator apps) and static devices (one-time
backup codes), with the portal's rules on top.

- policy.py: who must enrol (STAFF_2FA, JUDGE_2FA), who has a device, whether this session still owes a code
- services.py: enrol, verify, new backup codes, remove one's own device, another organiser's reset (audited)
- middleware.py: sends a session that owes a second factor to the verify or enrol page, before any other page
- views.py, forms.py, urls.py: the pages under /akun/2fa/ (templates/kipp/twofactor/)
"""
