"""The demo organisation: a small manufacturer certified to ISO 9001, 14001, 45001 and 27001.

People are named by their role and a staff code, so the demo reads as an org chart.
"""

DEMO_PASSWORD = "iso-demo-2026"  # noqa: S105 - published in the README for the demo only

# e-mail → (group, superuser)
DEMO_ACCOUNTS = {
    "admin@demo.example": (None, True),
    "hr@demo.example": ("HR", False),
    "comms@demo.example": ("Communications", False),
    "manager@demo.example": (None, False),
    "employee@demo.example": (None, False),
}

SUB_DEPARTMENTS = {"Production": "Operations", "Logistics": "Operations"}

# (employee_id, email, first name, last name, department, job role, level, manager id)
_LEADERSHIP = [
    (
        "T001",
        "md@demo.example",
        "Managing",
        "Director",
        "Executive Office",
        "Managing Director",
        "top",
        "",
    ),
    (
        "T002",
        "operations.director@demo.example",
        "Operations",
        "Director",
        "Operations",
        "Operations Director",
        "top",
        "T001",
    ),
    (
        "T003",
        "quality.director@demo.example",
        "Quality",
        "Director",
        "Quality Assurance",
        "Quality and Compliance Director",
        "top",
        "T001",
    ),
    (
        "M001",
        "manager@demo.example",
        "Manager",
        "Demo",
        "Production",
        "Production Manager",
        "middle",
        "T002",
    ),
    (
        "M002",
        "logistics.manager@demo.example",
        "Logistics",
        "Manager",
        "Logistics",
        "Logistics Manager",
        "middle",
        "T002",
    ),
    (
        "M003",
        "quality.manager@demo.example",
        "Quality",
        "Manager",
        "Quality Assurance",
        "Quality Manager",
        "middle",
        "T003",
    ),
    (
        "M004",
        "hse.manager@demo.example",
        "HSE",
        "Manager",
        "Health and Safety",
        "Health, Safety and Environment Manager",
        "middle",
        "T003",
    ),
    (
        "M005",
        "it.manager@demo.example",
        "IT",
        "Manager",
        "Information Technology",
        "IT and Information Security Manager",
        "middle",
        "T001",
    ),
    ("M006", "hr@demo.example", "HR", "Demo", "Human Resources", "HR Manager", "middle", "T001"),
    (
        "S001",
        "comms@demo.example",
        "Comms",
        "Demo",
        "Communications",
        "Communications Officer",
        "staff",
        "T001",
    ),
    (
        "S002",
        "admin@demo.example",
        "Admin",
        "Demo",
        "Information Technology",
        "Platform Administrator",
        "staff",
        "M005",
    ),
    (
        "S003",
        "employee@demo.example",
        "Employee",
        "Demo",
        "Production",
        "Machine Operator",
        "staff",
        "M001",
    ),
]

# (employee id prefix, department, job role, level, manager id, how many)
_TEAMS = [
    ("FP", "Production", "Shift Supervisor", "frontline", "M001", 3),
    ("FL", "Logistics", "Warehouse Supervisor", "frontline", "M002", 2),
    ("FQ", "Quality Assurance", "Inspection Lead", "frontline", "M003", 1),
    ("FH", "Health and Safety", "Safety Coordinator", "frontline", "M004", 1),
    ("PO", "Production", "Machine Operator", "staff", "M001", 2),
    ("PA", "Production", "Machine Operator", "staff", "FP01", 6),
    ("PB", "Production", "Assembly Technician", "staff", "FP02", 6),
    ("PC", "Production", "Maintenance Technician", "staff", "FP03", 4),
    ("LA", "Logistics", "Warehouse Operative", "staff", "FL01", 6),
    ("LB", "Logistics", "Forklift Driver", "staff", "FL02", 5),
    ("QA", "Quality Assurance", "Quality Inspector", "staff", "FQ01", 5),
    ("HA", "Health and Safety", "Environmental Officer", "staff", "FH01", 3),
    ("IA", "Information Technology", "Service Desk Analyst", "staff", "M005", 3),
    ("RA", "Human Resources", "HR Advisor", "staff", "M006", 2),
    ("EA", "Executive Office", "Executive Assistant", "staff", "T001", 1),
]


def demo_roster() -> list[dict[str, str]]:
    """The demo organisation as roster rows, in the columns of the HR roster import."""
    rows = [_row(*person) for person in _LEADERSHIP]
    for prefix, department, role, level, manager_id, count in _TEAMS:
        for number in range(1, count + 1):
            code = f"{prefix}{number:02d}"
            rows.append(
                _row(
                    code,
                    f"{code.lower()}@demo.example",
                    role,
                    code,
                    department,
                    role,
                    level,
                    manager_id,
                )
            )
    return rows


def _row(employee_id, email, first_name, last_name, department, job_role, level, manager_id):
    return {
        "employee_id": employee_id,
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "department": department,
        "job_role": job_role,
        "management_level": level,
        "manager_employee_id": manager_id,
    }
