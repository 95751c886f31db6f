#include "digest.h"

#include "error.h"
#include "image/crypto_api.h"


namespace hood::image {

Sha256::Sha256() : m_ctx(cryptoApi().MD_CTX_new(), cryptoApi().MD_CTX_free)
{
    if (!m_ctx || cryptoApi().DigestInit_ex(m_ctx.get(), cryptoApi().sha256(), nullptr) != 1)
        throw Error("sha256: OpenSSL could not start a digest");
}

void Sha256::update(const void *data, size_t size)
{
    if (size && cryptoApi().DigestUpdate(m_ctx.get(), data, size) != 1)
        throw Error("sha256: OpenSSL could not hash the data");
}

std::string Sha256::hex()
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (cryptoApi().DigestFinal_ex(m_ctx.get(), md, &n) != 1)
        throw Error("sha256: OpenSSL could not finish the digest");
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < n; ++i) {
        out += hex[md[i] >> 4];
        out += hex[md[i] & 15];
    }
    return out;
}

std::string sha256Digest(std::string_view data)
{
    Sha256 h;
    h.update(data.data(), data.size());
    return h.finish();
}

bool isDigest(std::string_view digest)
{
    if (digest.size() != 71 || digest.substr(0, 7) != "sha256:")
        return false;
    for (char c : digest.substr(7)) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

std::string digestHex(const std::string &digest, const std::string &what)
{
    if (!isDigest(digest))
        throw Error(what + " \"" + digest + "\" is not a sha256 digest (sha256: and 64 hex digits)");
    return digest.substr(7);
}

std::string shortId(const std::string &digest)
{
    return digest.substr(digest.rfind(':') + 1, 12);
}

} // namespace hood::image
