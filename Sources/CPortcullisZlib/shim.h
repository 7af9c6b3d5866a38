// CPortcullisZlib: the system zlib, as seen from Swift, for JWE "zip": "DEF" (RFC 7516 §4.1.3).
//
// Swift imports zlib's functions directly. This header adds only what Swift cannot import:
// inflateInit2() and deflateInit2() are function-like macros that pass the library version and
// sizeof(z_stream). Only PortcullisCrypto imports this module. Every helper is `static inline`
// and prefixed `CPortcullisZlib_`.
#ifndef CPORTCULLIS_ZLIB_SHIM_H
#define CPORTCULLIS_ZLIB_SHIM_H

#include <zlib.h>

/// inflateInit2(stream, windowBits). Why: a function-like macro.
static inline int CPortcullisZlib_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

/// deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY). Why: a
/// function-like macro.
static inline int CPortcullisZlib_deflateInit2(z_streamp stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}

#endif
