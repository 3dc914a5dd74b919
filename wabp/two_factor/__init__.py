"""Two-factor login: an authenticator app (TOTP) plus ten single-use recovery codes.

Required for the board and municipality staff (`User.needs_second_factor`), who see
admins' contact details and named panel answers; optional for everyone else, who can
switch it on from "my account". The devices are django-otp's (TOTPDevice, StaticDevice).

The flow:

    password (the login form, or the admin's)  ->  the user is logged in, not yet verified
    SecondFactorMiddleware                     ->  sends them to the code step, or to the
                                                   set-up step if they have no app yet
    code step / recovery-code step             ->  django_otp.login(): the session is verified
    set-up step                                ->  scan, confirm with a first code, see the
                                                   recovery codes once; verified as well

Until then such a session reaches nothing but those steps and logging out. The admin
site checks verification itself too (wabp.two_factor.site). Wrong codes count against
a per-account and a per-address limit (wabp.ratelimit) and as failed logins for
django-axes, whose lockout then also blocks the password step. The board resets a
user's devices with an action on the user list in the admin.
"""
