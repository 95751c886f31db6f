// The Dockerfile parser (dockerfile.h). The structure follows BuildKit's
// frontend/dockerfile/parser (parser.go, line_parsers.go, split_command.go,
// directives.go), its instructions/parse.go checks and shell/lex.go; the code
// is Hood's own.
#include "image/dockerfile.h"

#include "error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <set>

namespace hood {

namespace {

// ---------------------------------------------------------------- characters

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Go's reWhitespace in the parser: [\t\v\f\r ]+ (no newline: lines are joined).
bool isLineSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

std::string_view trimLeft(std::string_view s)
{
    size_t i = 0;
    while (i < s.size() && isSpace(s[i]))
        ++i;
    return s.substr(i);
}

std::string_view trimRight(std::string_view s)
{
    size_t n = s.size();
    while (n > 0 && isSpace(s[n - 1]))
        --n;
    return s.substr(0, n);
}

std::string_view trim(std::string_view s) { return trimRight(trimLeft(s)); }

std::string upper(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = char(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Splits at the first run of line spaces: {"RUN", "echo hi"}.
std::pair<std::string, std::string> splitFirstWord(std::string_view s)
{
    size_t i = 0;
    while (i < s.size() && !isLineSpace(s[i]))
        ++i;
    std::string first(s.substr(0, i));
    while (i < s.size() && isLineSpace(s[i]))
        ++i;
    return {first, std::string(s.substr(i))};
}

std::vector<std::string> splitLineSpaces(std::string_view s)
{
    std::vector<std::string> out;
    size_t i = 0;
    while (true) {
        size_t j = i;
        while (j < s.size() && !isLineSpace(s[j]))
            ++j;
        out.emplace_back(s.substr(i, j - i));
        if (j == s.size())
            break;
        i = j;
        while (i < s.size() && isLineSpace(s[i]))
            ++i;
    }
    return out;
}

// ---------------------------------------------------------------- directives

// `# name = value` at the top of the file, until the first line that is not one.
struct DirectiveParser {
    bool done = false;
    std::set<std::string> seen;

    // Returns {name, value} when line is a directive; throws on a repeated one.
    std::optional<std::pair<std::string, std::string>> parseLine(std::string_view line)
    {
        if (done)
            return std::nullopt;
        if (line.empty() || line[0] != '#') {
            done = true;
            return std::nullopt;
        }
        std::string_view rest = trimLeft(line.substr(1));
        size_t i = 0;
        if (i >= rest.size() || !std::isalpha(static_cast<unsigned char>(rest[i]))) {
            done = true;
            return std::nullopt;
        }
        while (i < rest.size() && std::isalnum(static_cast<unsigned char>(rest[i])))
            ++i;
        std::string name = lower(rest.substr(0, i));
        std::string_view after = trimLeft(rest.substr(i));
        std::string_view value = after.empty() || after[0] != '=' ? std::string_view{}
                                                                  : trim(after.substr(1));
        if (after.empty() || after[0] != '=' || value.empty()
            || (name != "syntax" && name != "escape" && name != "check")) {
            done = true;
            return std::nullopt;
        }
        if (!seen.insert(name).second)
            throw Error("only one " + name + " parser directive can be used");
        return std::make_pair(name, std::string(value));
    }
};

// ---------------------------------------------------------------- lines

struct LineReader {
    std::string_view text;
    size_t pos = 0;
    bool next(std::string_view &line)
    {
        if (pos >= text.size())
            return false;
        size_t nl = text.find('\n', pos);
        size_t end = nl == std::string_view::npos ? text.size() : nl;
        line = text.substr(pos, end - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
            line.remove_suffix(1);
        return true;
    }
};

bool isComment(std::string_view line)
{
    line = trimLeft(line);
    return !line.empty() && line[0] == '#';
}

// BuildKit's lineContinuationRegex: the escape character, then only spaces or
// tabs, at the end of a line and not itself escaped. Returns true (and strips
// it) when the line continues.
bool trimContinuation(std::string &line, char escape)
{
    size_t n = line.size();
    while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        --n;
    if (n == 0 || line[n - 1] != escape)
        return false;
    if (n >= 2 && line[n - 2] == escape)
        return false;
    line.resize(n - 1);
    return true;
}

// ---------------------------------------------------------------- flags and words

// BuildKit's extractBuilderFlags: leading `--name=value` words (quotes and
// escapes processed), stopping at the first word that is not a flag or at `--`.
std::vector<std::string> extractFlags(std::string &rest, char escape)
{
    std::vector<std::string> words;
    std::string word;
    enum { Spaces, Word, Quote } phase = Spaces;
    char quote = 0;
    bool blankOK = false;
    const std::string line = rest;
    for (size_t pos = 0; pos <= line.size(); ++pos) {
        char ch = pos < line.size() ? line[pos] : 0;
        if (phase == Spaces) {
            if (pos == line.size())
                break;
            if (isSpace(ch))
                continue;
            if (ch != '-' || pos + 1 == line.size() || line[pos + 1] != '-') {
                rest = line.substr(pos);
                return words;
            }
            phase = Word;
        }
        if (pos == line.size()) {
            if (word != "--" && (blankOK || !word.empty()))
                words.push_back(word);
            break;
        }
        if (phase == Word) {
            if (isSpace(ch)) {
                phase = Spaces;
                if (word == "--") {
                    rest = line.substr(pos);
                    return words;
                }
                if (blankOK || !word.empty())
                    words.push_back(word);
                word.clear();
                blankOK = false;
                continue;
            }
            if (ch == '\'' || ch == '"') {
                quote = ch;
                blankOK = true;
                phase = Quote;
                continue;
            }
            if (ch == escape) {
                if (pos + 1 == line.size())
                    continue;
                ch = line[++pos];
            }
            word += ch;
            continue;
        }
        // Quote
        if (ch == quote) {
            phase = Word;
            continue;
        }
        if (ch == escape) {
            if (pos + 1 == line.size()) {
                phase = Word;
                continue;
            }
            ch = line[++pos];
        }
        word += ch;
    }
    rest.clear();
    return words;
}

// BuildKit's parseWords: space-separated words, quotes kept (the lexer removes
// them when the instruction is expanded).
std::vector<std::string> parseWords(std::string_view rest, char escape)
{
    std::vector<std::string> words;
    std::string word;
    enum { Spaces, Word, Quote } phase = Spaces;
    char quote = 0;
    bool blankOK = false;
    for (size_t pos = 0; pos <= rest.size(); ++pos) {
        char ch = pos < rest.size() ? rest[pos] : 0;
        if (phase == Spaces) {
            if (pos == rest.size())
                break;
            if (isSpace(ch))
                continue;
            phase = Word;
        }
        if (pos == rest.size()) {
            if (blankOK || !word.empty())
                words.push_back(word);
            break;
        }
        if (phase == Word) {
            if (isSpace(ch)) {
                phase = Spaces;
                if (blankOK || !word.empty())
                    words.push_back(word);
                word.clear();
                blankOK = false;
                continue;
            }
            if (ch == '\'' || ch == '"') {
                quote = ch;
                blankOK = true;
                phase = Quote;
            }
            if (ch == escape) {
                if (pos + 1 == rest.size())
                    continue;
                word += ch;
                ch = rest[++pos];
            }
            word += ch;
            continue;
        }
        if (ch == quote)
            phase = Word;
        if (ch == escape && quote != '\'') {
            if (pos + 1 == rest.size()) {
                phase = Word;
                continue;
            }
            word += ch;
            ch = rest[++pos];
        }
        word += ch;
    }
    return words;
}

// ---------------------------------------------------------------- argument forms

struct ParseFailure {
    std::string message;
};

// A JSON array of strings; nullopt when rest is not a JSON array at all.
std::optional<std::vector<std::string>> parseJsonArray(std::string_view rest)
{
    rest = trimLeft(rest);
    if (rest.empty() || rest[0] != '[')
        return std::nullopt;
    nlohmann::json j = nlohmann::json::parse(rest.begin(), rest.end(), nullptr, false);
    if (j.is_discarded() || !j.is_array())
        return std::nullopt;
    std::vector<std::string> out;
    for (const auto &item : j) {
        if (!item.is_string())
            throw ParseFailure{"when using JSON array syntax, arrays must be comprised of strings only"};
        out.push_back(item.get<std::string>());
    }
    return out;
}

void parseMaybeJson(DockerfileInstruction &ins, const std::string &rest, bool toList)
{
    if (rest.empty())
        return;
    if (auto items = parseJsonArray(rest)) {
        ins.args = *items;
        ins.json = true;
        return;
    }
    if (toList)
        ins.args = splitLineSpaces(rest);
    else
        ins.args = {rest};
}

// ENV and LABEL: `KEY value` (legacy) or `K=V K2="v 2" ...`.
void parseNameValue(DockerfileInstruction &ins, const std::string &rest, char escape)
{
    std::vector<std::string> words = parseWords(rest, escape);
    if (words.empty())
        throw ParseFailure{ins.keyword + " requires at least one argument"};
    if (words[0].find('=') == std::string::npos) {
        auto [key, value] = splitFirstWord(rest);
        if (value.empty())
            throw ParseFailure{ins.keyword + " must have two arguments"};
        ins.pairs.push_back({key, value});
        return;
    }
    for (const std::string &word : words) {
        size_t eq = word.find('=');
        if (eq == std::string::npos)
            throw ParseFailure{"Syntax error - can't find = in \"" + word
                               + "\". Must be of the form: name=value"};
        if (eq == 0)
            throw ParseFailure{ins.keyword + " names can not be blank"};
        ins.pairs.push_back({word.substr(0, eq), word.substr(eq + 1)});
    }
}

void parseArgPairs(DockerfileInstruction &ins, const std::string &rest, char escape)
{
    for (const std::string &word : parseWords(rest, escape)) {
        size_t eq = word.find('=');
        if (eq == 0)
            throw ParseFailure{"ARG names can not be blank"};
        if (eq == std::string::npos)
            ins.pairs.push_back({word, std::nullopt});
        else
            ins.pairs.push_back({word.substr(0, eq), word.substr(eq + 1)});
    }
    if (ins.pairs.empty())
        throw ParseFailure{"ARG requires at least one argument"};
}

// ---------------------------------------------------------------- the instruction table

enum class Form { MaybeJson, MaybeJsonList, Words, String, NameValue, ArgPairs };

struct Keyword {
    const char *name;
    Form form;
    std::vector<std::string> flags; // the flags it accepts
    bool substitutes;               // Docker replaces $VAR in its arguments
};

// Tables instead of switch sprawl: one row per instruction Hood's builder runs.
const std::vector<Keyword> &keywords()
{
    static const std::vector<Keyword> table = {
        {"FROM", Form::Words, {"platform"}, true},
        {"RUN", Form::MaybeJson, {"network"}, false},
        {"COPY", Form::MaybeJsonList, {"from", "chown", "chmod", "link"}, true},
        {"ADD", Form::MaybeJsonList, {"chown", "chmod", "link", "checksum"}, true},
        {"ENV", Form::NameValue, {}, true},
        {"ARG", Form::ArgPairs, {}, true},
        {"WORKDIR", Form::String, {}, true},
        {"USER", Form::String, {}, true},
        {"LABEL", Form::NameValue, {}, true},
        {"EXPOSE", Form::Words, {}, true},
        {"VOLUME", Form::MaybeJsonList, {}, true},
        {"CMD", Form::MaybeJson, {}, false},
        {"ENTRYPOINT", Form::MaybeJson, {}, false},
        {"SHELL", Form::MaybeJson, {}, false},
        {"STOPSIGNAL", Form::String, {}, true},
        {"MAINTAINER", Form::String, {}, false},
    };
    return table;
}

const Keyword *findKeyword(std::string_view name)
{
    for (const Keyword &k : keywords())
        if (name == k.name)
            return &k;
    return nullptr;
}

void checkFlags(const DockerfileInstruction &ins, const Keyword &k)
{
    for (const std::string &raw : ins.flags) {
        if (raw.rfind("--", 0) != 0)
            throw ParseFailure{"flag " + raw + " does not start with --"};
        std::string name = raw.substr(2, raw.find('=') == std::string::npos ? std::string::npos
                                                                          : raw.find('=') - 2);
        if (std::find(k.flags.begin(), k.flags.end(), name) == k.flags.end())
            throw ParseFailure{"unknown flag: --" + name};
    }
}

// The checks of BuildKit's instructions/parse.go, on the parsed arguments.
void checkArguments(const DockerfileInstruction &ins)
{
    const std::string &k = ins.keyword;
    size_t n = ins.args.size();
    if (k == "FROM") {
        if (!(n == 1 || (n == 3 && lower(ins.args[1]) == "as")))
            throw ParseFailure{"FROM requires either one or three arguments"};
    } else if (k == "COPY" || k == "ADD") {
        if (n < 2)
            throw ParseFailure{k + (n == 0 ? " requires at least two arguments"
                                           : " requires at least two arguments, but only one was "
                                             "provided. Destination could not be determined")};
    } else if (k == "WORKDIR" || k == "USER" || k == "STOPSIGNAL" || k == "MAINTAINER") {
        if (n != 1)
            throw ParseFailure{k + " requires exactly one argument"};
    } else if (k == "EXPOSE" || k == "VOLUME" || k == "RUN") {
        if (n == 0)
            throw ParseFailure{k + " requires at least one argument"};
    } else if (k == "SHELL") {
        if (!ins.json)
            throw ParseFailure{"SHELL requires the arguments to be in JSON form"};
        if (n == 0)
            throw ParseFailure{"SHELL requires at least one argument"};
    } else if (k == "CMD" || k == "ENTRYPOINT") {
        if (n == 0 && !ins.json)
            throw ParseFailure{k + " requires at least one argument"};
    }
    if (k == "VOLUME")
        for (const std::string &v : ins.args)
            if (trim(v).empty())
                throw ParseFailure{"VOLUME specified can not be an empty string"};
}

std::string location(const std::string &path, int line, const std::string &keyword)
{
    std::string where = path + " line " + std::to_string(line);
    if (!keyword.empty())
        where += " (" + keyword + ")";
    return where;
}

DockerfileInstruction instructionFromLine(const std::string &line, char escape)
{
    DockerfileInstruction ins;
    ins.original = std::string(trim(line));
    auto [cmd, rest] = splitFirstWord(ins.original);
    ins.keyword = upper(cmd);
    ins.flags = extractFlags(rest, escape);
    rest = std::string(trim(rest));
    const Keyword *k = findKeyword(ins.keyword);
    if (!k) {
        if (ins.keyword == "HEALTHCHECK" || ins.keyword == "ONBUILD")
            throw ParseFailure{ins.keyword + " is a Docker instruction that Hood's builder does not run"};
        throw ParseFailure{"unknown instruction: " + cmd};
    }
    checkFlags(ins, *k);
    switch (k->form) {
    case Form::MaybeJson: parseMaybeJson(ins, rest, false); break;
    case Form::MaybeJsonList: parseMaybeJson(ins, rest, true); break;
    case Form::Words:
        if (!rest.empty())
            ins.args = splitLineSpaces(rest);
        break;
    case Form::String:
        if (!rest.empty())
            ins.args = {rest};
        break;
    case Form::NameValue: parseNameValue(ins, rest, escape); break;
    case Form::ArgPairs: parseArgPairs(ins, rest, escape); break;
    }
    checkArguments(ins);
    return ins;
}

} // namespace

// ---------------------------------------------------------------- public: parse

std::optional<std::string> DockerfileInstruction::flag(std::string_view name) const
{
    for (const std::string &raw : flags) {
        std::string_view f(raw);
        if (f.substr(0, 2) != "--")
            continue;
        f.remove_prefix(2);
        if (f == name)
            return std::string();
        if (f.size() > name.size() && f.substr(0, name.size()) == name && f[name.size()] == '=')
            return std::string(f.substr(name.size() + 1));
    }
    return std::nullopt;
}

Dockerfile parseDockerfile(std::string_view text, const std::string &path)
{
    Dockerfile file;
    file.path = path;
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    LineReader reader{text};
    DirectiveParser directives;
    int current = 0;
    std::string_view raw;

    // Each physical line passes the directive parser first, as BuildKit's
    // processLine does; only the leading ones can be directives.
    auto directive = [&](std::string_view line) {
        try {
            if (auto d = directives.parseLine(line)) {
                if (d->first == "escape") {
                    if (d->second != "\\" && d->second != "`")
                        throw Error("invalid escape token '" + d->second + "' does not match ` or \\");
                    file.escape = d->second[0];
                } else if (d->first == "syntax") {
                    file.syntax = d->second;
                }
            }
        } catch (const Error &e) {
            throw Error(location(path, current + 1, {}) + ": " + e.what());
        }
    };

    while (reader.next(raw)) {
        std::string_view first = trimLeft(raw);
        directive(first);
        ++current;
        int start = current;
        std::string line = isComment(first) ? std::string() : std::string(first);
        bool continues = trimContinuation(line, file.escape);
        if (!continues && line.empty())
            continue;
        bool emptyContinuation = false;
        while (continues && reader.next(raw)) {
            directive(raw);
            ++current;
            if (isComment(raw))
                continue;
            if (trimLeft(raw).empty()) {
                emptyContinuation = true;
                continue;
            }
            std::string piece(raw);
            continues = trimContinuation(piece, file.escape);
            line += piece;
        }
        if (emptyContinuation)
            file.warnings.push_back(location(path, current, {}) + ": empty continuation line in: " + line);
        DockerfileInstruction ins;
        try {
            ins = instructionFromLine(line, file.escape);
        } catch (const ParseFailure &f) {
            std::string keyword = upper(splitFirstWord(trim(line)).first);
            bool known = findKeyword(keyword) != nullptr;
            throw Error(location(path, start, known ? keyword : std::string()) + ": " + f.message);
        }
        ins.line = start;
        ins.endLine = current;
        file.instructions.push_back(std::move(ins));
    }
    if (file.instructions.empty())
        throw Error(path + ": file with no instructions");
    return file;
}


bool substitutesVariables(std::string_view keyword)
{
    const Keyword *k = findKeyword(upper(keyword));
    return k && k->substitutes;
}

std::string dockerfileWhere(const Dockerfile &file, const DockerfileInstruction &ins)
{
    return location(file.path, ins.line, ins.keyword);
}

DockerfileInstruction expandInstruction(const DockerfileInstruction &ins, const DockerfileEnv &env,
                                        const Dockerfile &file)
{
    if (!substitutesVariables(ins.keyword))
        return ins;
    DockerfileInstruction out = ins;
    auto word = [&](const std::string &w) { return processWord(w, env, file.escape); };
    try {
        for (std::string &a : out.args)
            a = word(a);
        for (DockerfileKeyValue &kv : out.pairs) {
            kv.key = word(kv.key);
            if (kv.value)
                kv.value = word(*kv.value);
        }
        for (std::string &f : out.flags) {
            size_t eq = f.find('=');
            if (eq != std::string::npos)
                f = f.substr(0, eq + 1) + word(f.substr(eq + 1));
        }
    } catch (const Error &e) {
        throw Error(dockerfileWhere(file, ins) + ": " + e.what());
    }
    return out;
}

} // namespace hood
