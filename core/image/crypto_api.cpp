#include "image/crypto_api.h"

#include "sys/dynlib.h"

namespace hood {

namespace {

CryptoApi load()
{
    DynLib lib("libcrypto.so.3", "SHA-256 digests (Debian package libssl3)");
    CryptoApi api{};
    lib.get("EVP_MD_CTX_new", api.MD_CTX_new);
    lib.get("EVP_MD_CTX_free", api.MD_CTX_free);
    lib.get("EVP_DigestInit_ex", api.DigestInit_ex);
    lib.get("EVP_DigestUpdate", api.DigestUpdate);
    lib.get("EVP_DigestFinal_ex", api.DigestFinal_ex);
    lib.get("EVP_sha256", api.sha256);
    lib.get("EVP_EncodeBlock", api.EncodeBlock);
    lib.get("EVP_DecodeBlock", api.DecodeBlock);
    return api;
}

} // namespace

const CryptoApi &cryptoApi()
{
    static const CryptoApi api = load();
    return api;
}

} // namespace hood
