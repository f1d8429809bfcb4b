"""Browser helper for the searchable picker (tpps/pilih.py): type, wait for the HTMX answer, pick
the highlighted option with the keyboard."""


def pick(page, selector, text, expect=None):
    """Type `text` into the picker `selector` (its text input, e.g. '#id_keluarga'), wait for an
    option containing `expect` (default: `text`), move to it with the arrow keys and press Enter.
    Returns the chosen label."""
    expect = expect or text
    page.click(selector)
    page.fill(selector, "")
    page.keyboard.type(text)
    listbox = "#" + page.get_attribute(selector, "aria-controls")
    page.wait_for_selector(f"{listbox} [role=option]:has-text('{expect}')")
    labels = page.locator(f"{listbox} [role=option][data-value]").all_inner_texts()
    index = next(i for i, label in enumerate(labels) if expect in label)
    for _ in range(index):  # the first option is highlighted when the list opens
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    return labels[index]
