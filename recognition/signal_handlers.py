"""Recognition listens to the facts the other apps announce (DESIGN.md: it imports none of
their services). Each handler hands the ids to a service; nothing is paid for merely viewing
or logging in."""


def register_signal_handlers() -> None:
    # --- Points from other apps' signals
    # --- end of points
    # --- Badges
    # --- end of badges
    pass
