"""The permission matrix: for every URL pattern, what a GET answers to each persona.

Columns, in this order (see tests/security/world.py):

    anonymous  resident  admin_a  admin_b  staff_x  staff_y  member  board  not_invitee  admin_s
    police_x  police_y

Codes: a number is the status code; `L` is a redirect to a login page (the site's or the
admin's); `2` is a redirect to the second-factor step (the code step, or the set-up step for
whoever has no authenticator app); `R` is any other redirect. The staff, the police and the
board have a verified session (their second factor entered). A token URL is opened with the
real mailed token by the link holder ("resident") and with a forged one by everyone else --
except the admin invitation, whose real link `not_invitee` (logged in with another address)
holds too. 405 means the pattern only answers POST; tests/security/test_permission_matrix.py
posts to those separately. `admin_s` runs group S, which the board suspended, and opens the
/beheer/ URLs of S (OWN_GROUP_URLS in tests/security/urls.py); every other URL as everyone
does. `police_x` is a police officer for X, `police_y` for Y.
"""

PUBLIC = "200 200 200 200 200 200 200 200 200 200 200 200"
LOGGED_IN = "L L 200 200 200 200 200 200 200 200 200 200"
POST_ONLY = "405 405 405 405 405 405 405 405 405 405 405 405"
POST_ONLY_LOGGED_IN = "L L 405 405 405 405 405 405 405 405 405 405"
# /beheer/ pages of group A: its admin only; everyone else 404 (not even that it exists).
GROUP_A_ADMIN = "L L 200 404 404 404 404 404 404 404 404 404"
# ... except the overview, which explains the suspension.
GROUP_A_ADMIN_OVERVIEW = "L L 200 404 404 404 404 404 404 200 404 404"
# The staff workspace of municipality X: its staff and the board; others 403.
STAFF_OF_X = "L L 403 403 200 403 403 200 403 403 403 403"
# Mailed links: only whoever holds the real token gets the page.
LINK_HOLDER = "404 200 404 404 404 404 404 404 404 404 404 404"
BOARD_ADMIN = "L L L L L L L 200 L L L L"
# Area messages: the police and municipality staff (each for their own area); others 403.
AREA_MESSAGE_SENDERS = "L L 403 403 200 200 403 403 403 403 200 200"

MATRIX: dict[str, str] = {
    # Site, health and content pages
    "home": PUBLIC,
    "healthz": PUBLIC,
    "ping": PUBLIC,
    "page": PUBLIC,
    "memorandum": PUBLIC,
    # Accounts
    "account": LOGGED_IN,
    "my_data": LOGGED_IN,
    "account_delete": LOGGED_IN,
    "account_deleted": PUBLIC,
    "login": "200 200 R R R R R R R R R R",
    "logout": POST_ONLY,
    "signup": "200 200 R R R R R R R R R R",
    "signup_done": PUBLIC,
    # An unknown activation or reset link shows "this link no longer works" (200), the same
    # page whether or not the account exists.
    "activate": PUBLIC,
    # The link to a new address works only when logged in as the account that asked.
    "confirm_email": LOGGED_IN,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": "200 R 200 200 200 200 200 200 200 200 200 200",
    "password_reset_complete": PUBLIC,
    "password_change": LOGGED_IN,
    "password_change_done": LOGGED_IN,
    # Two-factor login. The code steps are for a login that has had only its password: a
    # verified session goes on, someone without an app goes to the set-up step.
    "two_factor_verify": "L L 2 2 R R 2 R 2 2 R R",
    "two_factor_recovery": "L L 2 2 R R 2 R 2 2 R R",
    "two_factor": LOGGED_IN,
    "two_factor_setup": LOGGED_IN,
    "two_factor_recovery_codes": POST_ONLY_LOGGED_IN,
    "two_factor_disable": POST_ONLY_LOGGED_IN,
    # Finding and registering groups
    "groups:search": PUBLIC,
    "groups:detail": PUBLIC,
    "groups:register": PUBLIC,
    "groups:register_sent": PUBLIC,
    "groups:register_confirm": "400 200 400 400 400 400 400 400 400 400 400 400",
    # The "claim your group" link mailed to an admin of the old register.
    "groups:claim": LINK_HOLDER,
    # Joining a group
    "groups:join": PUBLIC,
    "groups:join_sent": PUBLIC,
    "groups:join_status": LINK_HOLDER,
    "groups:join_confirm": LINK_HOLDER,
    # /beheer/
    "groups:dashboard": LOGGED_IN,
    "groups:manage": GROUP_A_ADMIN_OVERVIEW,
    "groups:edit": GROUP_A_ADMIN,
    "groups:coverage": GROUP_A_ADMIN,
    "groups:coverage_remove": POST_ONLY_LOGGED_IN,
    "groups:requests": GROUP_A_ADMIN,
    "groups:request_accept": POST_ONLY_LOGGED_IN,
    # The first POST shows the confirmation page; its POST (confirmed=yes) declines.
    "groups:request_decline": POST_ONLY_LOGGED_IN,
    # Undo a decline of less than a day ago: that group's admins only (POST).
    "groups:request_undo_decline": POST_ONLY_LOGGED_IN,
    "groups:admins": GROUP_A_ADMIN,
    # Deactivating asks first (a confirmation page in answer to the first POST).
    "groups:status": POST_ONLY_LOGGED_IN,
    "groups:neighbours": GROUP_A_ADMIN,
    "groups:relay": GROUP_A_ADMIN,
    "groups:sign_request": GROUP_A_ADMIN,
    # The recruitment kit: the page and its printed materials.
    "groups:recruitment_kit": GROUP_A_ADMIN,
    "groups:recruitment_material": GROUP_A_ADMIN,
    # Issue 17, part 5: splitting a group (the form; its POSTs ask first, then split).
    "groups:split": GROUP_A_ADMIN,
    "groups:reconfirm": LINK_HOLDER,
    # The monthly test (issue #17, part 4): the admin's page and the reminder's links.
    "groups:monthly_test": GROUP_A_ADMIN,
    "groups:monthly_test_confirm": LINK_HOLDER,
    "groups:monthly_test_stop": LINK_HOLDER,
    "groups:monthly_test_stop_one_click": "R R R R R R R R R R R R",  # GET: the normal page
    # The real link for someone logged in with another address: "log in with that address".
    "groups:invitation": "404 200 404 404 404 404 404 404 403 404 404 404",
    "groups:invitation_accept": POST_ONLY_LOGGED_IN,
    "groups:invitation_revoke": POST_ONLY_LOGGED_IN,
    "groups:admin_remove": GROUP_A_ADMIN,
    "groups:step_down": GROUP_A_ADMIN,
    # Map, municipalities, figures, waiting list
    "groups:map": PUBLIC,
    "groups:map_geojson": PUBLIC,
    "groups:map_coverage": PUBLIC,
    "groups:map_area": PUBLIC,
    "groups:map_embed": PUBLIC,
    "groups:municipalities": PUBLIC,
    "groups:municipality": PUBLIC,
    "groups:municipality_export": STAFF_OF_X,
    "groups:municipality_relay": STAFF_OF_X,
    "groups:municipality_signs": STAFF_OF_X,
    "groups:municipality_sign_decide": POST_ONLY_LOGGED_IN,
    # Municipality staff onboarding: the request form, and the link that verifies its address.
    "groups:staff_request": PUBLIC,
    "groups:staff_request_sent": PUBLIC,
    "groups:staff_request_verify": LINK_HOLDER,
    # Police access requests (groups.policeaccess): the form, and the link that verifies it.
    "groups:police_request": PUBLIC,
    "groups:police_request_sent": PUBLIC,
    "groups:police_request_verify": LINK_HOLDER,
    "groups:figures": PUBLIC,
    # The report helper: a form that stores and sends nothing.
    "groups:report_helper": PUBLIC,
    # GET: the form (search pages link to it); POST: join.
    "groups:waitinglist_join": PUBLIC,
    "groups:waitinglist_sent": PUBLIC,
    "groups:waitinglist_confirm": LINK_HOLDER,
    # An unknown removal link answers like a removed address: nobody learns who is listed.
    "groups:waitinglist_delete": PUBLIC,
    # The board's broadcasts
    "groups:broadcast_unsubscribe": LINK_HOLDER,
    "groups:broadcast_unsubscribe_one_click": "R R R R R R R R R R R R",  # GET shows the normal page
    # Area messages (issue #16, part 3): officers and municipality staff send for their own
    # area; any logged-in user chooses what they receive; the opt-out link in the mail.
    "groups:area_messages": AREA_MESSAGE_SENDERS,
    "groups:area_message_new": AREA_MESSAGE_SENDERS,
    "groups:area_message_settings": LOGGED_IN,
    "groups:area_message_opt_out": LINK_HOLDER,
    "groups:area_message_opt_out_one_click": "R R R R R R R R R R R R",  # GET: the normal page
    # Prevention tips (issue #17, part 3): public tips; subscribing needs an account; the
    # unsubscribe link in the monthly mail.
    "groups:tips": PUBLIC,
    "groups:tip": PUBLIC,
    "groups:tip_subscription": LOGGED_IN,
    "groups:tip_unsubscribe": LINK_HOLDER,
    "groups:tip_unsubscribe_one_click": "R R R R R R R R R R R R",  # GET: the normal page
    # E-learning: admin A passed the course; the result and certificate are theirs alone.
    "elearning:catalogue": PUBLIC,
    "elearning:course": PUBLIC,
    "elearning:lesson": LOGGED_IN,
    "elearning:lesson_done": POST_ONLY_LOGGED_IN,
    "elearning:quiz": LOGGED_IN,
    "elearning:result": "L L 200 404 404 404 404 404 404 404 404 404",
    "elearning:certificate": "L L 200 404 404 404 404 404 404 404 404 404",
    "elearning:verify_form": PUBLIC,  # a form to type a code in
    "elearning:verify": PUBLIC,  # initials, course and date only
    # Panels: the member's round; results for the board only.
    "panels:index": LOGGED_IN,
    "panels:volunteer": LOGGED_IN,
    "panels:invitation": "410 200 410 410 410 410 410 410 410 410 410 410",
    "panels:round": "L L 404 404 404 404 200 404 404 404 404 404",
    "panels:round_edit": POST_ONLY_LOGGED_IN,
    "panels:attachment": "L L 404 404 404 404 200 200 404 404 404 404",
    "panels:results": "L L 404 404 404 404 404 200 404 404 404 404",
    "panels:results_csv": "L L 404 404 404 404 404 200 404 404 404 404",
    "panels:leave": POST_ONLY_LOGGED_IN,
    # The board's admin: representatives of Django's own pages ...
    "admin:index": BOARD_ADMIN,
    "admin:login": "200 200 200 200 200 200 200 R 200 200 200 200",
    "admin:groups_group_changelist": BOARD_ADMIN,
    "admin:groups_group_change": BOARD_ADMIN,
    "admin:groups_joinrequest_changelist": BOARD_ADMIN,
    "admin:groups_joinrequest_change": BOARD_ADMIN,
    "admin:wabp_user_changelist": BOARD_ADMIN,
    "admin:wabp_user_change": BOARD_ADMIN,
    # ... and every custom admin view.
    "admin:elearning_course_figures": BOARD_ADMIN,
    "admin:elearning_course_figures_csv": BOARD_ADMIN,
    "admin:groups_broadcast_preview": BOARD_ADMIN,
    "admin:groups_broadcast_test_send": "L L L L L L L 405 L L L L",
    # The first POST shows the confirmation page (number of recipients); its POST sends.
    "admin:groups_broadcast_send": "L L L L L L L 405 L L L L",
    "admin:status": BOARD_ADMIN,
    # Issue #16, part 4: the open data API and its docs page (public data only).
    "groups:opendata": PUBLIC,
    "groups:opendata_groups_geojson": PUBLIC,
    "groups:opendata_groups_csv": PUBLIC,
    "groups:opendata_municipalities_json": PUBLIC,
    "groups:opendata_municipalities_csv": PUBLIC,
    # Issue 16, the wijkagent's workspace: approved officers only (the board too gets 403; it
    # has the access log in the admin). Group A lies in X: Y's officer gets 404 on it.
    "groups:police_workspace": "L L 403 403 403 403 403 403 403 403 200 200",
    "groups:police_group_contact": "L L 403 403 403 403 403 403 403 403 200 404",
    "groups:police_group_confirm": POST_ONLY_LOGGED_IN,
    "groups:police_group_unconfirm": POST_ONLY_LOGGED_IN,
}

# Staff who logged in with their password only, no second factor yet (the PASSWORD_ONLY
# personas of tests/security/world.py, in these columns):
#
#     staff_x_unverified (has an authenticator app)  board_unverified (has none yet)
#
# reach nothing but the second-factor step: every URL answers `2`, except these.
PASSWORD_ONLY_MATRIX: dict[str, str] = {
    "two_factor_verify": "200 2",
    "two_factor_recovery": "200 2",
    "two_factor_setup": "2 200",
    "logout": "405 405",
    "healthz": "200 200",
    "ping": "200 200",
}

# Django's admin pages that stand in for all the generated ones (they need no own entry).
ADMIN_REPRESENTATIVES = {
    "admin:index",
    "admin:login",
    "admin:groups_group_changelist",
    "admin:groups_group_change",
    "admin:groups_joinrequest_changelist",
    "admin:groups_joinrequest_change",
    "admin:wabp_user_changelist",
    "admin:wabp_user_change",
}
