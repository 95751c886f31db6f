// Docker's shell lexer for ARG/ENV substitution (dockerfile.h: processWord,
// processWords), after BuildKit's shell/lex.go; the code is Hood's own. Split from
// the parser (dockerfile.cpp), which calls it through expandInstruction.
#include "image/dockerfile.h"

#include "error.h"

#include <cctype>
#include <fnmatch.h>

namespace hood {

// ---------------------------------------------------------------- the shell lexer

namespace {

class Lexer {
public:
    Lexer(std::string_view text, const DockerfileEnv &env, char escape)
        : m_text(text), m_env(env), m_escape(escape) {}

    static constexpr int Eof = -1;

    // processStopOn: reads until stop (or the end when stop is Eof).
    std::pair<std::string, std::vector<std::string>> run(int stop, bool rawEscapes)
    {
        std::string result;
        Words words;
        bool savedRaw = m_rawEscapes;
        m_rawEscapes = rawEscapes;
        while (peek() != Eof) {
            int ch = peek();
            if (stop != Eof && ch == stop) {
                next();
                m_rawEscapes = savedRaw;
                return {result, words.finish()};
            }
            if (ch == '$' || ch == '\'' || ch == '"') {
                std::string piece = ch == '$' ? dollar() : ch == '\'' ? singleQuote() : doubleQuote();
                result += piece;
                if (ch == '$')
                    words.addString(piece);
                else
                    words.addRaw(piece);
                continue;
            }
            ch = next();
            if (ch == m_escape) {
                if (m_rawEscapes) {
                    words.addRawChar(char(ch));
                    result += char(ch);
                }
                ch = next();
                if (ch == Eof)
                    break;
                words.addRawChar(char(ch));
            } else {
                words.addChar(char(ch));
            }
            result += char(ch);
        }
        m_rawEscapes = savedRaw;
        if (stop != Eof)
            throw Error(std::string("unexpected end of statement while looking for matching ") + char(stop));
        return {result, words.finish()};
    }

private:
    struct Words {
        std::string buf;
        std::vector<std::string> words;
        bool inWord = false;
        void addChar(char c)
        {
            if (std::isspace(static_cast<unsigned char>(c)) && inWord) {
                if (!buf.empty()) {
                    words.push_back(buf);
                    buf.clear();
                    inWord = false;
                }
            } else if (!std::isspace(static_cast<unsigned char>(c))) {
                addRawChar(c);
            }
        }
        void addRawChar(char c)
        {
            buf += c;
            inWord = true;
        }
        void addString(const std::string &s)
        {
            for (char c : s)
                addChar(c);
        }
        void addRaw(const std::string &s)
        {
            buf += s;
            inWord = true;
        }
        std::vector<std::string> finish()
        {
            if (!buf.empty())
                words.push_back(buf);
            buf.clear();
            return words;
        }
    };

    int peek() const { return m_pos < m_text.size() ? static_cast<unsigned char>(m_text[m_pos]) : Eof; }
    int next() { return m_pos < m_text.size() ? static_cast<unsigned char>(m_text[m_pos++]) : Eof; }

    std::string singleQuote()
    {
        next();
        std::string out;
        while (true) {
            int ch = next();
            if (ch == Eof)
                throw Error("unexpected end of statement while looking for matching single-quote");
            if (ch == '\'')
                return out;
            out += char(ch);
        }
    }

    std::string doubleQuote()
    {
        next();
        std::string out;
        while (true) {
            int p = peek();
            if (p == Eof)
                throw Error("unexpected end of statement while looking for matching double-quote");
            if (p == '"') {
                next();
                return out;
            }
            if (p == '$') {
                out += dollar();
                continue;
            }
            int ch = next();
            if (ch == m_escape) {
                if (m_rawEscapes)
                    out += char(ch);
                int q = peek();
                if (q == Eof)
                    continue;
                if (q == '"' || q == '$' || q == m_escape)
                    ch = next();
            }
            out += char(ch);
        }
    }

    std::string name()
    {
        std::string n;
        while (peek() != Eof) {
            int ch = peek();
            if (n.empty() && std::isdigit(ch)) {
                while (peek() != Eof && std::isdigit(peek()))
                    n += char(next());
                return n;
            }
            if (n.empty() && std::string_view("@*#?-$!0").find(char(ch)) != std::string_view::npos)
                return std::string(1, char(next()));
            if (!std::isalnum(ch) && ch != '_')
                break;
            n += char(next());
        }
        return n;
    }

    std::optional<std::string> env(const std::string &key) const
    {
        auto it = m_env.find(key);
        if (it == m_env.end())
            return std::nullopt;
        return it->second;
    }

    std::string dollar()
    {
        next();
        if (peek() != '{') {
            std::string n = name();
            if (n.empty())
                return "$";
            return env(n).value_or("");
        }
        next();
        int p = peek();
        if (p == Eof)
            throw Error("syntax error: missing '}'");
        if (p == '{' || p == '}' || p == ':')
            throw Error("syntax error: bad substitution");
        std::string n = name();
        int ch = next();
        if (ch == '}')
            return env(n).value_or("");
        if (ch == Eof)
            throw Error("syntax error: missing '}'");
        return modifier(n, ch);
    }

    std::string modifier(const std::string &n, int ch)
    {
        std::string chs(1, char(ch));
        bool nullIsUnset = false;
        if (ch == '/')
            return replace(n);
        if (ch == ':') {
            nullIsUnset = true;
            ch = next();
            if (ch == Eof)
                throw Error("syntax error: missing '}'");
            chs += char(ch);
        }
        if (std::string_view("+-?#%").find(char(ch)) == std::string_view::npos)
            throw Error("unsupported modifier (" + chs + ") in substitution");
        bool trims = ch == '#' || ch == '%';
        if (nullIsUnset && trims)
            throw Error("unsupported modifier (" + chs + ") in substitution");
        std::string word = stopOn('}', trims);
        std::optional<std::string> value = env(n);
        bool unset = !value || (nullIsUnset && value->empty());
        switch (ch) {
        case '-': return unset ? word : *value;
        case '+': return unset ? std::string() : word;
        case '?':
            if (!value)
                throw Error(n + ": " + (word.empty() ? "is not allowed to be unset" : word));
            if (unset)
                throw Error(n + ": " + (word.empty() ? "is not allowed to be empty" : word));
            return *value;
        default: return trimPattern(value.value_or(""), word, ch == '%');
        }
    }

    std::string stopOn(int stop, bool raw)
    {
        try {
            return run(stop, raw).first;
        } catch (const Error &) {
            if (peek() == Eof)
                throw Error(stop == '}' ? "syntax error: missing '}'" : "syntax error: missing '/' in ${}");
            throw;
        }
    }

    static bool matches(const std::string &pattern, const std::string &s)
    {
        return fnmatch(pattern.c_str(), s.c_str(), 0) == 0;
    }

    // ${VAR#pat} ${VAR##pat} ${VAR%pat} ${VAR%%pat}: shortest or longest match.
    static std::string trimPattern(const std::string &value, std::string pattern, bool suffix)
    {
        bool greedy = !pattern.empty() && pattern[0] == (suffix ? '%' : '#');
        if (greedy)
            pattern.erase(0, 1);
        const size_t n = value.size();
        for (size_t k = 0; k <= n; ++k) {
            size_t len = greedy ? n - k : k;
            std::string part = suffix ? value.substr(n - len) : value.substr(0, len);
            if (matches(pattern, part))
                return suffix ? value.substr(0, n - len) : value.substr(len);
        }
        return value;
    }

    // ${VAR/pat/repl} and ${VAR//pat/repl}: leftmost, longest match.
    std::string replace(const std::string &n)
    {
        bool all = peek() == '/';
        if (all)
            next();
        std::string pattern = stopOn('/', true);
        std::string replacement = stopOn('}', true);
        std::string value = env(n).value_or("");
        if (pattern.empty())
            return value;
        std::string out;
        size_t i = 0;
        bool done = false;
        while (i < value.size()) {
            size_t best = std::string::npos;
            if (!done)
                for (size_t len = value.size() - i; len > 0; --len)
                    if (matches(pattern, value.substr(i, len))) {
                        best = len;
                        break;
                    }
            if (best == std::string::npos) {
                out += value[i++];
                continue;
            }
            out += replacement;
            i += best;
            done = !all;
        }
        return out;
    }

    std::string_view m_text;
    size_t m_pos = 0;
    const DockerfileEnv &m_env;
    int m_escape;
    bool m_rawEscapes = false;
};

} // namespace

std::string processWord(std::string_view word, const DockerfileEnv &env, char escape)
{
    Lexer lexer(word, env, escape);
    try {
        return lexer.run(Lexer::Eof, false).first;
    } catch (const Error &e) {
        throw Error(std::string("failed to process \"") + std::string(word) + "\": " + e.what());
    }
}

std::vector<std::string> processWords(std::string_view word, const DockerfileEnv &env, char escape)
{
    Lexer lexer(word, env, escape);
    try {
        return lexer.run(Lexer::Eof, false).second;
    } catch (const Error &e) {
        throw Error(std::string("failed to process \"") + std::string(word) + "\": " + e.what());
    }
}
} // namespace hood
