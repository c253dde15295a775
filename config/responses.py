"""The status of a form re-rendered with its errors, one rule for every view."""


def form_error_status(request):
    """400 for a whole page; 422 for an htmx fragment, which base.html's htmx config swaps in
    place. Not 400 there: in DEBUG, django-htmx's error handler replaces the whole page with
    any 400 response, so development would show something production does not.
    """
    return 422 if request.htmx else 400
