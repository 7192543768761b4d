"""Fake personal data (names, e-mail addresses, phone numbers) and survey comments."""

from __future__ import annotations

import random
import unicodedata

FIRST_NAMES = (
    "Ava",
    "Liam",
    "Olivia",
    "Noah",
    "Emma",
    "Lucas",
    "Mia",
    "Ethan",
    "Sofia",
    "Mateo",
    "Amelia",
    "Leon",
    "Chloé",
    "Jonas",
    "Zoë",
    "Mikkel",
    "Aisha",
    "Omar",
    "Priya",
    "Ravi",
    "Hannah",
    "Felix",
    "Léa",
    "Tomás",
    "Ingrid",
    "Björn",
    "Yuki",
    "Kenji",
    "Fatima",
    "Youssef",
    "Grace",
    "Daniel",
    "Nora",
    "Samuel",
    "Elena",
    "Marco",
    "Julia",
    "Ben",
    "Chiara",
    "Diego",
    "Łukasz",
    "Agnieszka",
    "Seán",
    "Siobhán",
    "Mei",
    "Wei",
    "Isabel",
    "Jakob",
    "Maren",
    "Ömer",
)
LAST_NAMES = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Garcia",
    "Miller",
    "Davis",
    "Martínez",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Dubois",
    "Lefèvre",
    "Rossi",
    "Russo",
    "Nowak",
    "Kowalski",
    "Jensen",
    "Nielsen",
    "Andersson",
    "Johansson",
    "Tanaka",
    "Suzuki",
    "Khan",
    "Patel",
    "Singh",
    "O'Brien",
    "Murphy",
    "Kelly",
    "van der Berg",
    "de Vries",
    "Novák",
    "Horváth",
    "González",
    "López",
    "Silva",
    "Santos",
    "Öztürk",
    "Kaya",
    "Chen",
    "Wang",
    "Kim",
    "Park",
    "Nguyen",
    "Ivanova",
    "Popescu",
    "Papadopoulos",
    "Costa",
    "Weber",
)

COMMENTS = (
    "Quick and friendly, thank you!",
    "Solved on the first try.",
    "Took too long to get an answer.",
    "The agent was helpful, but I had to explain everything twice.",
    "Great service, as always",
    "Still waiting for the refund, not happy.",
    'The "self-service" page did not help at all.',
    "OK",
    "Very polite agent; problem fixed in minutes.",
    "Nobody called me back, even though I was promised a callback.",
    "Fine, thanks.",
    "Excellent - Danke schön!",
    "Could be faster, but the answer was correct.",
    "Merci pour votre aide, très efficace.",
)
MULTILINE_COMMENT = "Two things:\n1. the chat kept disconnecting,\n2. the agent fixed it anyway."
PII_COMMENTS = (
    "Please call me back on {phone}, nobody answered my e-mail.",
    "You can reach me at {email} if you need more details.",
    "My number is {phone}; my e-mail {email} changed last month.",
)


_NOT_DECOMPOSABLE = str.maketrans(
    {"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "ß": "ss", "\u0131": "i"}
)


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters of a name (accents dropped), for e-mail addresses."""
    plain = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSABLE))
    plain = plain.encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def person_name(rng: random.Random) -> tuple[str, str]:
    """(first name, last name)."""
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def customer_email(first: str, last: str, number: int) -> str:
    """A unique-looking customer address on a reserved example domain."""
    return f"{ascii_slug(first)}.{ascii_slug(last)}{number}@example.com"


def agent_email(first: str, last: str, number: int) -> str:
    """An agent's work address."""
    return f"{ascii_slug(first)}.{ascii_slug(last)}.{number}@support.example.org"


def phone_number(rng: random.Random) -> str:
    """A fictional phone number (555-01xx range or E.164-like)."""
    if rng.random() < 0.5:
        return f"+1-555-01{rng.randrange(100):02d}-{rng.randrange(10000):04d}"
    return f"+49 30 {rng.randrange(1000000, 9999999)}"


def survey_comment(rng: random.Random, pii_share: float = 0.06) -> str:
    """A free-text comment; a few contain an e-mail address or a phone number, or line breaks."""
    draw = rng.random()
    if draw < 0.02:
        return MULTILINE_COMMENT
    if draw < 0.02 + pii_share:
        first, last = person_name(rng)
        template = rng.choice(PII_COMMENTS)
        return template.format(
            phone=phone_number(rng), email=f"{ascii_slug(first)}.{ascii_slug(last)}@mail.example"
        )
    return rng.choice(COMMENTS)
