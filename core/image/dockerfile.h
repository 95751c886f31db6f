// The Dockerfile parser, done the way BuildKit's frontend/dockerfile/parser and
// instructions packages do it: parser directives at the top (`# escape=`,
// `# syntax=` read and ignored), comments, line continuations with the escape
// character (comment lines inside a continuation skipped), keywords in any case,
// JSON and shell forms, `--flag=value` flags, and ENV/LABEL/ARG in both their
// key=value and legacy `KEY value` forms. A pure function of the bytes; every
// mistake is one hood::Error sentence naming the file, the line and the
// instruction.
//
// Variable substitution ($VAR, ${VAR}, ${VAR:-x}, ${VAR:+x}, ...) is the
// shell lexer of BuildKit's frontend/dockerfile/shell, applied by
// expandInstruction() to the instructions Docker substitutes in (not RUN, CMD,
// ENTRYPOINT and SHELL: their shell does that when they run).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hood {

// One KEY=VALUE of ENV, LABEL or ARG. ARG's value may be absent (`ARG NAME`).
struct DockerfileKeyValue {
    std::string key;
    std::optional<std::string> value;
};

struct DockerfileInstruction {
    std::string keyword;               // upper case: "RUN"
    std::vector<std::string> flags;    // as written, without the "--": "chown=1:1"
    std::vector<std::string> args;     // JSON items, words, or the one raw string
    bool json = false;                 // written in JSON (exec) form
    std::vector<DockerfileKeyValue> pairs; // ENV, LABEL, ARG
    std::string original;              // the logical line, continuations joined
    int line = 0;                      // first line (1-based) in the file
    int endLine = 0;

    // The value of --name (nullopt when the flag is absent; "" for a bare --name).
    std::optional<std::string> flag(std::string_view name) const;
};

struct Dockerfile {
    std::string path;
    char escape = '\\';
    std::string syntax; // the `# syntax=` directive, read and not used
    std::vector<DockerfileInstruction> instructions;
    std::vector<std::string> warnings; // empty continuation lines, as BuildKit warns
};

// Parses the text of a Dockerfile; path names it in errors. Throws hood::Error:
//   "Dockerfile line 3: unknown instruction FORM"
//   "Dockerfile line 5 (CMD): when using JSON array syntax, arrays must be comprised of strings only"
Dockerfile parseDockerfile(std::string_view text, const std::string &path);

// The variables substitution sees, in order of precedence handled by the caller.
using DockerfileEnv = std::map<std::string, std::string>;

// BuildKit's shell lexer on one word list: quotes removed, escapes applied,
// $VAR and ${VAR...} replaced from env. processWord keeps spaces (one string);
// processWords splits into words as a shell would. Throw hood::Error (a bad
// substitution, an unterminated quote) with a sentence without location.
std::string processWord(std::string_view word, const DockerfileEnv &env, char escape = '\\');
std::vector<std::string> processWords(std::string_view word, const DockerfileEnv &env,
                                      char escape = '\\');

// True for the instructions whose arguments Docker substitutes variables in.
bool substitutesVariables(std::string_view keyword);

// The instruction with its args, pairs and flag values substituted (for the
// keywords where substitutesVariables() is true; others come back unchanged).
// Errors name the file, line and instruction.
DockerfileInstruction expandInstruction(const DockerfileInstruction &ins, const DockerfileEnv &env,
                                        const Dockerfile &file);

// "Dockerfile line 4 (COPY): <what>", the location every error of a step carries.
std::string dockerfileWhere(const Dockerfile &file, const DockerfileInstruction &ins);

} // namespace hood
