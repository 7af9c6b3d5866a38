// CPortcullisOpenSSL: the system OpenSSL 3 libcrypto, as seen from Swift.
//
// Swift imports OpenSSL's functions directly. This header adds only what Swift cannot import:
// function-like macros and OSSL_PARAM construction. Only PortcullisCrypto imports this module.
#ifndef CPORTCULLIS_OPENSSL_SHIM_H
#define CPORTCULLIS_OPENSSL_SHIM_H

#include <openssl/opensslv.h>

#if !defined(OPENSSL_VERSION_MAJOR) || OPENSSL_VERSION_MAJOR < 3
#error "Portcullis needs OpenSSL 3.0 or later (Debian/Ubuntu: apt-get install libssl-dev)."
#endif

#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>

#endif
