#include "reference.h"

#include "digest.h"
#include "error.h"

namespace hood::image {

namespace {

bool isLowerAlnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// A path component of a repository name (distribution's reference grammar):
// lower-case letters and digits, separated by '.', '_', '__' or runs of '-'.
bool validComponent(const std::string &c)
{
    if (c.empty() || !isLowerAlnum(c.front()) || !isLowerAlnum(c.back()))
        return false;
    for (char ch : c) {
        if (!isLowerAlnum(ch) && ch != '.' && ch != '_' && ch != '-')
            return false;
    }
    return true;
}

// A registry host may have upper case, dots and a port: "localhost:5000".
bool looksLikeHost(const std::string &c)
{
    return c.find_first_of(".:") != std::string::npos || c == "localhost";
}

bool validTag(const std::string &t)
{
    if (t.empty() || t.size() > 128 || t[0] == '.' || t[0] == '-')
        return false;
    for (char c : t) {
        if (!isLowerAlnum(c) && !(c >= 'A' && c <= 'Z') && c != '_' && c != '.' && c != '-')
            return false;
    }
    return true;
}

void checkName(const std::string &text, const std::string &name)
{
    size_t start = 0;
    bool first = true;
    while (start <= name.size()) {
        size_t slash = name.find('/', start);
        std::string c = name.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        bool host = first && slash != std::string::npos && looksLikeHost(c);
        if (!host && !validComponent(c))
            throw Error("image reference \"" + text + "\": \"" + c
                        + "\" is not a valid name (lower-case letters, digits and . _ -)");
        if (slash == std::string::npos)
            break;
        start = slash + 1;
        first = false;
    }
}

std::string dropHubPrefix(std::string name)
{
    for (const char *prefix : {"docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/"}) {
        if (name.rfind(prefix, 0) == 0 && name.size() > std::string(prefix).size())
            return name.substr(std::string(prefix).size());
    }
    if (name.rfind("library/", 0) == 0 && name.find('/', 8) == std::string::npos)
        return name.substr(8);
    return name;
}

} // namespace

std::string ImageRef::str() const
{
    std::string out = name;
    if (!tag.empty())
        out += ":" + tag;
    if (!digest.empty())
        out += "@" + digest;
    return out;
}

ImageRef parseReference(const std::string &text)
{
    if (text.empty())
        throw Error("image reference is empty: give NAME[:TAG] or NAME@sha256:...");
    ImageRef ref;
    std::string rest = text;
    if (size_t at = rest.find('@'); at != std::string::npos) {
        ref.digest = rest.substr(at + 1);
        if (!isDigest(ref.digest))
            throw Error("image reference \"" + text + "\": \"" + ref.digest
                        + "\" is not a sha256 digest (sha256: and 64 hex digits)");
        rest = rest.substr(0, at);
    }
    size_t colon = rest.rfind(':');
    if (colon != std::string::npos && rest.find('/', colon) == std::string::npos) {
        ref.tag = rest.substr(colon + 1);
        rest = rest.substr(0, colon);
        if (!validTag(ref.tag))
            throw Error("image reference \"" + text + "\": \"" + ref.tag
                        + "\" is not a valid tag (letters, digits, _ . -, at most 128)");
    }
    checkName(text, rest);
    ref.name = dropHubPrefix(rest);
    if (ref.tag.empty() && ref.digest.empty())
        ref.tag = "latest";
    return ref;
}

bool isReference(const std::string &text)
{
    try {
        parseReference(text);
        return true;
    } catch (const Error &) {
        return false;
    }
}

std::string fullyQualified(const ImageRef &ref)
{
    std::string name = ref.name;
    size_t slash = name.find('/');
    if (slash == std::string::npos)
        name = "docker.io/library/" + name;
    else if (!looksLikeHost(name.substr(0, slash)))
        name = "docker.io/" + name;
    ImageRef full = ref;
    full.name = name;
    return full.str();
}

} // namespace hood::image
