from tpps.roles import Role

READERS = (Role.ADMIN, Role.OPERATOR, Role.WILAYAH, Role.PIMPINAN)
EDITORS = (Role.ADMIN, Role.OPERATOR, Role.WILAYAH)


def int_param(params, name):
    try:
        value = int(params.get(name) or 0)
    except (TypeError, ValueError):
        return None
    return value or None
