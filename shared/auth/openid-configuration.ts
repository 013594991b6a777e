/** OIDC discovery document of this platform as an issuer (peers read it to trust our tokens). */
export function openIdConfiguration(issuer: string) {
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    token_endpoint: `${issuer}/v1/identity/token`,
    grant_types_supported: ['refresh_token', 'urn:ietf:params:oauth:grant-type:token-exchange', 'client_credentials'],
    id_token_signing_alg_values_supported: ['ES256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
    subject_types_supported: ['public'],
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
  };
}
