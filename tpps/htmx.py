"""Full page or HTMX partial: the one place that decides which a view renders. Every page keeps its
HTMX fragments as named partials inside its template (`template.html#name`), and the view renders
the same context either way."""

from django.shortcuts import render


def render_page(request, template, context=None, partial=None, *, when=True, always=False, invalid=False, status=200):
    """Render `template`, or only its `partial` for an HTMX request (and when `when` holds, for
    views with several fragments chosen by a query parameter).

    always:  the partial for every request (an endpoint only HTMX calls, e.g. a polled row).
    invalid: a form was refused; HTMX swaps 422 answers (static/js/app.js) while a plain post
             re-renders the page with 200, as browsers expect.
    """
    if partial and (always or (when and request.htmx)):
        template = f"{template}#{partial}"
    if invalid:
        status = 422 if request.htmx else 200
    return render(request, template, context, status=status)
