// SHA-256 through OpenSSL's EVP interface, fed piece by piece: the build
// context's content hash, cache keys and the registry client's digest checks.
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace hood {

class Sha256Stream {
public:
    Sha256Stream();
    ~Sha256Stream();
    Sha256Stream(const Sha256Stream &) = delete;
    Sha256Stream &operator=(const Sha256Stream &) = delete;

    void update(const void *data, size_t size);
    void update(std::string_view text) { update(text.data(), text.size()); }
    // Lower-case hex of the digest; the stream is finished after this.
    std::string hex();

private:
    struct Free {
        void operator()(evp_md_ctx_st *ctx) const;
    };
    std::unique_ptr<evp_md_ctx_st, Free> m_ctx;
};

// "sha256:<hex>" of text.
std::string sha256Digest(std::string_view text);

} // namespace hood
