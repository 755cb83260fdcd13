//! Access-token validation against the OpenID provider's JWKS (DESIGN §6, sso.md §3.2). Being written.
