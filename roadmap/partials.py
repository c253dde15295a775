"""Template names of the fragments that more than one page (or view) renders, written once.

Each is its own file under templates/roadmap/partials/; pages include them by the same name
and views render them for htmx. The roadmap page, rendered by more than one view, is named
here too.
"""

ROADMAP_PAGE = "roadmap/roadmap_detail.html"

MILESTONE = "roadmap/partials/milestone.html"
STEP_STATUS = "roadmap/partials/step_status.html"
PHASE_PROGRESS = "roadmap/partials/phase_progress.html"
OVERALL_PROGRESS = "roadmap/partials/overall_progress.html"
ANNOUNCER = "roadmap/partials/announcer.html"
STEP_NOTES = "roadmap/partials/step_notes.html"
STEP_BODY = "roadmap/partials/step_body.html"
TICK_RESPONSE = "roadmap/partials/tick_response.html"
STEP_RESPONSE = "roadmap/partials/step_response.html"
CONFIRM = "roadmap/partials/confirm.html"
UNDO_OFFER = "roadmap/partials/undo_offer.html"
STATE = "roadmap/partials/state.html"
HISTORY_LIST = "roadmap/partials/history_list.html"
HISTORY_ENTRY = "roadmap/partials/history_entry.html"  # cached per entry (history.py)
CONTINUE_CARD = "roadmap/partials/continue_card.html"
OUTLINE_STEP = "roadmap/partials/outline_step.html"  # cached per step (fragments.py)
OUTLINE_PHASE = "roadmap/partials/outline_phase.html"  # cached per phase (fragments.py)
PHASE_RESPONSE = "roadmap/partials/phase_response.html"
COMMITMENT = "roadmap/partials/commitment.html"
MAP = "roadmap/partials/map.html"
MAP_RESPONSE = "roadmap/partials/map_response.html"  # the map's own URL: MAP, kept
