# Test policy for the OPA client tests: partners read their own tenant's datasets.
package portcullis.authz

import rego.v1

default allow := false

allow if {
	input.claims.tenant == input.resource.tenant
	concat(":", ["dataset", "read", input.resource.tenant]) in input.scopes
}

reason := "tenant mismatch" if input.claims.tenant != input.resource.tenant

reason := "missing scope" if {
	input.claims.tenant == input.resource.tenant
	not allow
}

decision := {"allow": allow, "reason": reason} if not allow

decision := {"allow": true} if allow

# A document of the wrong shape, to test that the client refuses it.
weird := 42
