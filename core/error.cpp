#include "error.h"

#include <cctype>
#include <cerrno>
#include <cstring>

namespace hood {

std::string errnoText(int err)
{
    std::string text = std::strerror(err);
    if (!text.empty() && std::isupper(static_cast<unsigned char>(text[0]))
        && !(text.size() > 1 && std::isupper(static_cast<unsigned char>(text[1]))))
        text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    return text;
}

Error Error::sys(const std::string &op, const std::string &path, int err)
{
    std::string sentence = op;
    if (!path.empty())
        sentence += " " + path;
    sentence += ": " + errnoText(err);
    return Error(sentence, err);
}

} // namespace hood
