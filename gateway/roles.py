"""The roles a person acts in, whoever signed them in: the platform's own accounts or another
identity platform whose roles are mapped to these."""

ROLES = ("enterprise", "specialist", "institution", "supervisor", "operator", "operating_institution")
#: The roles that act for a party (an organisation's credit code or a regulator's code); the
#: others act as the person themselves.
PARTY_ROLES = ("enterprise", "institution", "supervisor", "operating_institution")
