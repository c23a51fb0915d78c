"""People, learning, assigning and training content."""

from tests.lms.factories_training import make_assignment, make_module
from tests.permission_rows import everyone, signed_in

MATRIX = {
    "healthz": (None, everyone(200)),
    "home": (None, signed_in(200)),
    "my_team": (None, signed_in(403, manager=302, other_manager=302)),
    "person_detail": (
        lambda p: [p["employee"].pk],
        signed_in(403, employee=200, manager=200, hr=200),
    ),
    "hr_people": (None, signed_in(403, hr=200)),
    "cms_login": (None, everyone(302)),
    "lms_roster_import": (None, signed_in(403, hr=200)),
    "my_learning": (None, signed_in(200)),
    "my_team_learning": (None, signed_in(403, manager=200, other_manager=200)),
    "notifications": (None, signed_in(200)),
    "assign_module": (None, signed_in(403, manager=200, other_manager=200, hr=200)),
    "search": (None, signed_in(200)),
    "training_catalogue": (None, signed_in(302)),
    # POST-only actions answer a GET with 405; their POST rows are in POST_MATRIX.
    "send_team_reminder": (lambda p: [p["employee"].pk], signed_in(405)),
    "module_section_done": (
        lambda p: [p["module"].pk, p["module"].section_ids()[0]],
        signed_in(405),
    ),
}
# Wagtail sends a signed-in person without CMS access back to its login with a message.
MATRIX["lms_roster_import"][1].update(employee=302, manager=302, other_manager=302, outsider=302)

POST_MATRIX = {
    "send_team_reminder": (lambda p: [p["employee"].pk], signed_in(403, manager=302)),
    "module_section_done": (
        lambda p: [p["module"].pk, p["module"].section_ids()[0]],
        signed_in(302),
    ),
}


def things(personas):
    module = make_module()
    make_assignment(user=personas["employee"], module=module)
    return {"module": module}
