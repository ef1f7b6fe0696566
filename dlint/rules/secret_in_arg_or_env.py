"""S004: an ARG or ENV whose name says it holds a secret."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ._build_variables import env_assignments

RULE = Rule(
    code="S004",
    name="secret-in-arg-or-env",
    severity="warning",
    summary="An ARG or ENV is named like a secret: its value stays in the image's metadata or history",
    hadolint=("DL3064",),
    fix=NO_FIX,
    default_enabled=False,  # names only: `PASSWORD_FILE` or `TOKEN_URL` hold no secret
)

# Names of well-known credentials, and words that mark one inside a name (as hadolint 2.15 lists them).
_KNOWN = frozenset("""
ACCESS_TOKEN APPLICATION_KEY APP_SECRET AUTH_TOKEN AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY BITTREX_API_KEY
BITTREX_API_SECRET CF_PASSWORD CF_USERNAME CIRCLE_TOKEN CI_DEPLOY_PASSWORD CI_DEPLOY_USER DOCKERHUB_PASSWORD
DOCKER_EMAIL DOCKER_PASSWORD DOCKER_USERNAME FACEBOOK_ACCESS_TOKEN FACEBOOK_APP_ID FACEBOOK_APP_SECRET
FIREBASE_API_TOKEN FIREBASE_TOKEN FOSSA_API_KEY GH_ENTERPRISE_TOKEN GH_TOKEN GITHUB_ENTERPRISE_TOKEN GITHUB_TOKEN
HEROKU_API_KEY HEROKU_API_USER NPM_AUTH_TOKEN NPM_TOKEN OKTA_AUTHN_GROUPID OKTA_CLIENT_ORGURL OKTA_CLIENT_TOKEN
OKTA_OAUTH2_CLIENTID OKTA_OAUTH2_CLIENTSECRET OPENAI_API_KEY OS_PASSWORD OS_USERNAME POSTGRES_PASSWORD SLACK_TOKEN
STRIPE_API_KEY STRIPE_DEVICE_NAME TRAVIS_OS_NAME TRAVIS_SECURE_ENV_VARS TRAVIS_SUDO VAULT_CLIENT_KEY VAULT_TOKEN
""".split())
_WORDS = ("api_key", "client_key", "password", "private", "secret", "token", "username")


def is_secret_name(name: str) -> bool:
    lower = name.lower()
    return name.upper() in _KNOWN or any(w in lower for w in _WORDS)


def check(ctx):
    escape = ctx.doc.escape
    for ins in ctx.doc.instructions:
        inner = ins.inner or ins
        if inner.name not in ("ARG", "ENV"):
            continue
        names = [name for name, _ in env_assignments(inner, escape) if is_secret_name(name.strip("\"'"))]
        if names:
            shown = ", ".join(f"`{n}`" for n in dict.fromkeys(names))
            yield ctx.at_instruction(
                ins, f"{inner.name} {shown} looks like a secret: {inner.name} values are kept in the image "
                     f"({'its history' if inner.name == 'ARG' else 'its configuration'}); pass secrets with "
                     "`RUN --mount=type=secret`")
