from .people import Department, Invitation, JobRole, ManagementLevel, User

__all__ = ["Department", "Invitation", "JobRole", "ManagementLevel", "User"]
