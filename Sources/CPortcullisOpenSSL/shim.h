// CPortcullisOpenSSL: the system OpenSSL 3 libcrypto, as seen from Swift.
//
// Swift imports OpenSSL's functions directly. This header adds only what Swift cannot import:
// function-like macros and OSSL_PARAM construction. Only PortcullisCrypto imports this module.
// Every helper is `static inline` and prefixed `CPortcullisOpenSSL_`.
#ifndef CPORTCULLIS_OPENSSL_SHIM_H
#define CPORTCULLIS_OPENSSL_SHIM_H

#include <openssl/opensslv.h>

#if !defined(OPENSSL_VERSION_MAJOR) || OPENSSL_VERSION_MAJOR < 3
#error "Portcullis needs OpenSSL 3.0 or later (Debian/Ubuntu: apt-get install libssl-dev)."
#endif

#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/bn.h>
#include <openssl/rsa.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>

// MARK: - Parameter names with static storage
//
// Why: OSSL_PARAM_BLD_push_*() and OSSL_PARAM_BLD_to_param() keep the *pointer* to the key name
// (the resulting OSSL_PARAM array references it), so the name must outlive the parameter array.
// A Swift String bridged to `const char *` lives only for the duration of one call, and the
// OSSL_PKEY_PARAM_* macros import into Swift as String. These helpers hand out the macros'
// string literals, which have static storage duration.

/// The key parameters PortcullisCrypto reads and writes.
typedef enum CPortcullisOpenSSL_KeyParameter {
    CPortcullisOpenSSL_KeyParameter_rsaN = 0,
    CPortcullisOpenSSL_KeyParameter_rsaE,
    CPortcullisOpenSSL_KeyParameter_rsaD,
    CPortcullisOpenSSL_KeyParameter_rsaP,
    CPortcullisOpenSSL_KeyParameter_rsaQ,
    CPortcullisOpenSSL_KeyParameter_rsaDP,
    CPortcullisOpenSSL_KeyParameter_rsaDQ,
    CPortcullisOpenSSL_KeyParameter_rsaQI,
    CPortcullisOpenSSL_KeyParameter_groupName,
    CPortcullisOpenSSL_KeyParameter_publicKey,
    CPortcullisOpenSSL_KeyParameter_privateKey,
    CPortcullisOpenSSL_KeyParameter_ecPublicX,
    CPortcullisOpenSSL_KeyParameter_ecPublicY,
} CPortcullisOpenSSL_KeyParameter;

/// The OSSL_PKEY_PARAM_* name of `parameter`, as a string literal with static storage.
static inline const char *CPortcullisOpenSSL_keyParameterName(CPortcullisOpenSSL_KeyParameter parameter) {
    switch (parameter) {
    case CPortcullisOpenSSL_KeyParameter_rsaN: return OSSL_PKEY_PARAM_RSA_N;
    case CPortcullisOpenSSL_KeyParameter_rsaE: return OSSL_PKEY_PARAM_RSA_E;
    case CPortcullisOpenSSL_KeyParameter_rsaD: return OSSL_PKEY_PARAM_RSA_D;
    case CPortcullisOpenSSL_KeyParameter_rsaP: return OSSL_PKEY_PARAM_RSA_FACTOR1;
    case CPortcullisOpenSSL_KeyParameter_rsaQ: return OSSL_PKEY_PARAM_RSA_FACTOR2;
    case CPortcullisOpenSSL_KeyParameter_rsaDP: return OSSL_PKEY_PARAM_RSA_EXPONENT1;
    case CPortcullisOpenSSL_KeyParameter_rsaDQ: return OSSL_PKEY_PARAM_RSA_EXPONENT2;
    case CPortcullisOpenSSL_KeyParameter_rsaQI: return OSSL_PKEY_PARAM_RSA_COEFFICIENT1;
    case CPortcullisOpenSSL_KeyParameter_groupName: return OSSL_PKEY_PARAM_GROUP_NAME;
    case CPortcullisOpenSSL_KeyParameter_publicKey: return OSSL_PKEY_PARAM_PUB_KEY;
    case CPortcullisOpenSSL_KeyParameter_privateKey: return OSSL_PKEY_PARAM_PRIV_KEY;
    case CPortcullisOpenSSL_KeyParameter_ecPublicX: return OSSL_PKEY_PARAM_EC_PUB_X;
    case CPortcullisOpenSSL_KeyParameter_ecPublicY: return OSSL_PKEY_PARAM_EC_PUB_Y;
    }
    return "";
}

// MARK: - Selections
//
// Why: EVP_PKEY_PUBLIC_KEY and EVP_PKEY_KEYPAIR are macros built from other macros with `|`,
// which Swift does not import.

/// EVP_PKEY_PUBLIC_KEY, for EVP_PKEY_fromdata().
static inline int CPortcullisOpenSSL_selectionPublicKey(void) { return EVP_PKEY_PUBLIC_KEY; }
/// EVP_PKEY_KEYPAIR, for EVP_PKEY_fromdata().
static inline int CPortcullisOpenSSL_selectionKeyPair(void) { return EVP_PKEY_KEYPAIR; }

// MARK: - Function-like macros

/// Why: BN_num_bytes() is a function-like macro over BN_num_bits().
static inline int CPortcullisOpenSSL_BN_num_bytes(const BIGNUM *bn) { return BN_num_bytes(bn); }

// MARK: - OSSL_PARAM arrays

/// Keys (or, with `key == NULL`, re-initialises) an HMAC context for the digest named `digest`
/// ("SHA256", "SHA384", "SHA512").
///
/// Why: EVP_MAC_init() takes the digest as a NULL-terminated OSSL_PARAM array whose entries point
/// at their values; building that array (and OSSL_PARAM_END, a macro initialiser) is a one-liner
/// in C but an unsafe-pointer exercise in Swift. EVP_MAC_init() copies what it needs.
static inline int CPortcullisOpenSSL_EVP_MAC_init_HMAC(EVP_MAC_CTX *ctx, const unsigned char *key,
                                                      size_t keyLength, const char *digest) {
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0);
    params[1] = OSSL_PARAM_construct_end();
    return EVP_MAC_init(ctx, key, keyLength, params);
}

#endif
