// libcrypto (OpenSSL), opened with dlopen on first use: its relocations and
// its start-up code are a fifth of a bare hoodctl run, though only the verbs
// that hash or check a digest, or speak base64 to a registry, need it
// (docs/design-changes.md). The headers stay for the types and constants.
#pragma once

#include <openssl/evp.h>

namespace hood {

// The EVP_ functions digest.cpp and registry.cpp call, by
// their names without the EVP_ prefix.
struct CryptoApi {
    decltype(&::EVP_MD_CTX_new) MD_CTX_new;
    decltype(&::EVP_MD_CTX_free) MD_CTX_free;
    decltype(&::EVP_DigestInit_ex) DigestInit_ex;
    decltype(&::EVP_DigestUpdate) DigestUpdate;
    decltype(&::EVP_DigestFinal_ex) DigestFinal_ex;
    decltype(&::EVP_sha256) sha256;
    decltype(&::EVP_EncodeBlock) EncodeBlock;
    decltype(&::EVP_DecodeBlock) DecodeBlock;
};

// The process's table from libcrypto.so.3, loaded on the first call
// (thread-safe); throws hood::Error in one sentence when it cannot (sys/dynlib.h).
const CryptoApi &cryptoApi();

} // namespace hood
