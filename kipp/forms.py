from kipp.forms_accounts import LoginForm  # noqa: F401  (kept importable from kipp.forms)
