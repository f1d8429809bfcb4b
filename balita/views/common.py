

def int_param(params, name):
    try:
        value = int(params.get(name) or 0)
    except (TypeError, ValueError):
        return None
    return value or None
