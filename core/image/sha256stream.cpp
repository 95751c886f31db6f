#include "image/sha256stream.h"

#include "error.h"
#include "image/crypto_api.h"


namespace hood {

void Sha256Stream::Free::operator()(evp_md_ctx_st *ctx) const { cryptoApi().MD_CTX_free(ctx); }

Sha256Stream::Sha256Stream() : m_ctx(cryptoApi().MD_CTX_new())
{
    if (!m_ctx || cryptoApi().DigestInit_ex(m_ctx.get(), cryptoApi().sha256(), nullptr) != 1)
        throw Error("start a SHA-256 digest: OpenSSL refused");
}

Sha256Stream::~Sha256Stream() = default;

void Sha256Stream::update(const void *data, size_t size)
{
    if (size && cryptoApi().DigestUpdate(m_ctx.get(), data, size) != 1)
        throw Error("update a SHA-256 digest: OpenSSL refused");
}

std::string Sha256Stream::hex()
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (cryptoApi().DigestFinal_ex(m_ctx.get(), md, &len) != 1)
        throw Error("finish a SHA-256 digest: OpenSSL refused");
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
        out += digits[md[i] >> 4];
        out += digits[md[i] & 15];
    }
    return out;
}

std::string sha256Digest(std::string_view text)
{
    Sha256Stream s;
    s.update(text);
    return "sha256:" + s.hex();
}

} // namespace hood
