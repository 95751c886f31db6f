// SHA-256 digests as OCI writes them ("sha256:" + 64 lower-case hex digits), through
// OpenSSL's EVP interface, streamed so a 200 MB layer is hashed while it is read.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace hood::image {

class Sha256 {
public:
    Sha256();
    void update(const void *data, size_t size);
    void update(std::string_view text) { update(text.data(), text.size()); }
    // "sha256:<hex>"; the hasher is spent afterwards.
    std::string finish() { return "sha256:" + hex(); }
    // The lower-case hex digits alone; the hasher is spent afterwards.
    std::string hex();

private:
    std::unique_ptr<evp_md_ctx_st, void (*)(evp_md_ctx_st *)> m_ctx;
};

std::string sha256Digest(std::string_view data);

// True for "sha256:" followed by 64 lower-case hex digits.
bool isDigest(std::string_view digest);
// The hex part of a digest; throws hood::Error naming `what` when it is not one.
std::string digestHex(const std::string &digest, const std::string &what = "digest");
// "sha256:0123456789ab..." -> "0123456789ab" (Docker's short image ID).
std::string shortId(const std::string &digest);

} // namespace hood::image
