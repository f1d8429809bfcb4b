"""The management area (`/kelola/`, Admin role): users and their assignments, posyandu, lokus
kelurahan and OPDs, in the app's own pages; the stock Django admin stays as a fallback."""
