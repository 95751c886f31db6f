// The Dockerfile parser (core/image/dockerfile.h): rows after BuildKit's parser
// tests: continuations, the escape directive, comments, JSON and shell forms,
// flags, ENV/LABEL/ARG forms, substitution, and errors with their line numbers.
#include "image/dockerfile.h"
#include "error.h"

#include <nlohmann/json.hpp>

#include <QtTest>

using namespace hood;

namespace {

// One line per instruction: "KEYWORD[json] [flags] ["arg",...] {k=v,...} @line"
QString dump(const Dockerfile &f)
{
    QStringList lines;
    for (const DockerfileInstruction &ins : f.instructions) {
        std::string s = ins.keyword + (ins.json ? "[json]" : "");
        for (const std::string &fl : ins.flags)
            s += " " + fl;
        s += " " + nlohmann::json(ins.args).dump();
        if (!ins.pairs.empty()) {
            s += " {";
            for (size_t i = 0; i < ins.pairs.size(); ++i)
                s += (i ? "," : "") + ins.pairs[i].key + (ins.pairs[i].value ? "=" + *ins.pairs[i].value : "");
            s += "}";
        }
        s += " @" + std::to_string(ins.line);
        lines << QString::fromStdString(s);
    }
    return lines.join('\n');
}

QString errorOf(const std::string &text)
{
    try {
        parseDockerfile(text, "ctx/Dockerfile");
    } catch (const Error &e) {
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("(accepted)");
}

} // namespace

class TestDockerfile : public QObject {
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void errors_data();
    void errors();
    void substitution_data();
    void substitution();
    void expandOnlyWhereDockerDoes();
    void escapeAndSyntaxDirectives();
};

void TestDockerfile::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::addRow("shell-form") << "FROM busybox\nRUN echo hi  there"
                                << "FROM [\"busybox\"] @1\nRUN [\"echo hi  there\"] @2";
    QTest::addRow("json-form") << "FROM a\nCMD [\"sh\", \"-c\", \"x\"]"
                               << "FROM [\"a\"] @1\nCMD[json] [\"sh\",\"-c\",\"x\"] @2";
    QTest::addRow("bad-json-is-shell") << "FROM a\nCMD [\"sh\", oops]"
                                       << "FROM [\"a\"] @1\nCMD [\"[\\\"sh\\\", oops]\"] @2";
    QTest::addRow("lowercase-keywords") << "from a\nrun true" << "FROM [\"a\"] @1\nRUN [\"true\"] @2";
    QTest::addRow("continuation") << "FROM a\nRUN echo a \\\n  b \\\n  c\nUSER x"
                                  << "FROM [\"a\"] @1\nRUN [\"echo a   b   c\"] @2\nUSER [\"x\"] @5";
    QTest::addRow("comment-inside-continuation") << "FROM a\nRUN one \\\n# skipped\n two"
                                                 << "FROM [\"a\"] @1\nRUN [\"one  two\"] @2";
    QTest::addRow("comments-and-blank") << "# hello\n\nFROM a\n  # indented comment\nUSER u"
                                        << "FROM [\"a\"] @3\nUSER [\"u\"] @5";
    QTest::addRow("escaped-backslash-no-continuation") << "FROM a\nRUN echo \\\\\nUSER u"
                                                       << "FROM [\"a\"] @1\nRUN [\"echo \\\\\\\\\"] @2\nUSER [\"u\"] @3";
    QTest::addRow("crlf") << "FROM a\r\nRUN x\r\n" << "FROM [\"a\"] @1\nRUN [\"x\"] @2";
    QTest::addRow("flags") << "FROM --platform=linux/amd64 a AS b\nCOPY --chown=1:2 --chmod=644 x y /d/"
                           << "FROM --platform=linux/amd64 [\"a\",\"AS\",\"b\"] @1\nCOPY --chown=1:2 --chmod=644 [\"x\",\"y\",\"/d/\"] @2";
    QTest::addRow("copy-json") << "FROM a\nCOPY [\"a b\", \"/c\"]" << "FROM [\"a\"] @1\nCOPY[json] [\"a b\",\"/c\"] @2";
    QTest::addRow("env-new-form") << "FROM a\nENV A=1 B=\"two words\" C=x\\ y"
                                  << "FROM [\"a\"] @1\nENV [] {A=1,B=\"two words\",C=x\\ y} @2";
    QTest::addRow("env-legacy-form") << "FROM a\nENV A hello world" << "FROM [\"a\"] @1\nENV [] {A=hello world} @2";
    QTest::addRow("label") << "FROM a\nLABEL \"com.x\"=\"v 1\" b=2" << "FROM [\"a\"] @1\nLABEL [] {\"com.x\"=\"v 1\",b=2} @2";
    QTest::addRow("arg-forms") << "ARG V=1\nFROM a\nARG X Y=\nARG Z=\"q\""
                               << "ARG [] {V=1} @1\nFROM [\"a\"] @2\nARG [] {X,Y=} @3\nARG [] {Z=\"q\"} @4";
    QTest::addRow("expose-volume") << "FROM a\nEXPOSE 80 443/udp\nVOLUME /a /b\nVOLUME [\"/c\"]"
                                   << "FROM [\"a\"] @1\nEXPOSE [\"80\",\"443/udp\"] @2\nVOLUME [\"/a\",\"/b\"] @3\nVOLUME[json] [\"/c\"] @4";
    QTest::addRow("shell-entrypoint-workdir") << "FROM a\nSHELL [\"/bin/bash\", \"-c\"]\nENTRYPOINT exec x\nWORKDIR /w"
                                              << "FROM [\"a\"] @1\nSHELL[json] [\"/bin/bash\",\"-c\"] @2\nENTRYPOINT [\"exec x\"] @3\nWORKDIR [\"/w\"] @4";
    QTest::addRow("bom") << "\xEF\xBB\xBF" "FROM a" << "FROM [\"a\"] @1";
    QTest::addRow("empty-continuation-line") << "FROM a\nRUN a \\\n\n b" << "FROM [\"a\"] @1\nRUN [\"a  b\"] @2";
    QTest::addRow("run-network-flag") << "FROM a\nRUN --network=none true" << "FROM [\"a\"] @1\nRUN --network=none [\"true\"] @2";
}

void TestDockerfile::parse()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    Dockerfile f = parseDockerfile(text.toStdString(), "Dockerfile");
    QCOMPARE(dump(f), expected);
}

void TestDockerfile::errors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::addRow("unknown") << "FROM a\n\nFORM b" << "ctx/Dockerfile line 3: unknown instruction: FORM";
    QTest::addRow("unsupported") << "FROM a\nHEALTHCHECK NONE"
                                 << "ctx/Dockerfile line 2: HEALTHCHECK is a Docker instruction that Hood's builder does not run";
    QTest::addRow("json-not-strings") << "FROM a\nCMD [\"a\", 1]"
                                      << "ctx/Dockerfile line 2 (CMD): when using JSON array syntax, arrays must be comprised of strings only";
    QTest::addRow("copy-one-arg") << "FROM a\nCOPY x"
                                  << "ctx/Dockerfile line 2 (COPY): COPY requires at least two arguments, but only one was provided. Destination could not be determined";
    QTest::addRow("from-two-args") << "FROM a b" << "ctx/Dockerfile line 1 (FROM): FROM requires either one or three arguments";
    QTest::addRow("env-legacy-no-value") << "FROM a\nENV A" << "ctx/Dockerfile line 2 (ENV): ENV must have two arguments";
    QTest::addRow("env-missing-equals") << "FROM a\nENV A=1 B"
                                        << "ctx/Dockerfile line 2 (ENV): Syntax error - can't find = in \"B\". Must be of the form: name=value";
    QTest::addRow("env-empty") << "FROM a\nENV" << "ctx/Dockerfile line 2 (ENV): ENV requires at least one argument";
    QTest::addRow("user-missing") << "FROM a\nUSER" << "ctx/Dockerfile line 2 (USER): USER requires exactly one argument";
    QTest::addRow("shell-not-json") << "FROM a\nSHELL bash -c" << "ctx/Dockerfile line 2 (SHELL): SHELL requires the arguments to be in JSON form";
    QTest::addRow("unknown-flag") << "FROM a\nCOPY --own=1 a b" << "ctx/Dockerfile line 2 (COPY): unknown flag: --own";
    QTest::addRow("line-after-continuation") << "FROM a\nRUN a \\\n b\nBAD" << "ctx/Dockerfile line 4: unknown instruction: BAD";
    QTest::addRow("bad-escape") << "# escape=x\nFROM a" << "ctx/Dockerfile line 1: invalid escape token 'x' does not match ` or \\";
    QTest::addRow("two-escapes") << "# escape=`\n# escape=\\\nFROM a" << "ctx/Dockerfile line 2: only one escape parser directive can be used";
    QTest::addRow("empty") << "# only a comment\n\n" << "ctx/Dockerfile: file with no instructions";
    QTest::addRow("arg-blank-name") << "ARG =1\nFROM a" << "ctx/Dockerfile line 1 (ARG): ARG names can not be blank";
}

void TestDockerfile::errors()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(errorOf(text.toStdString()), expected);
}

void TestDockerfile::substitution_data()
{
    QTest::addColumn<QString>("word");
    QTest::addColumn<QString>("expected");
    QTest::addRow("plain") << "$A" << "a";
    QTest::addRow("braces") << "${A}b" << "ab";
    QTest::addRow("unset-empty") << "x${NOPE}y" << "xy";
    QTest::addRow("default-unset") << "${NOPE:-dflt}" << "dflt";
    QTest::addRow("default-set") << "${A:-dflt}" << "a";
    QTest::addRow("default-empty-colon") << "${EMPTY:-d}" << "d";
    QTest::addRow("default-empty-nocolon") << "${EMPTY-d}" << "";
    QTest::addRow("plus-set") << "${A:+alt}" << "alt";
    QTest::addRow("plus-unset") << "${NOPE:+alt}" << "";
    QTest::addRow("nested") << "${NOPE:-${A}x}" << "ax";
    QTest::addRow("escaped-dollar") << "\\$A" << "$A";
    QTest::addRow("single-quotes") << "'$A'" << "$A";
    QTest::addRow("double-quotes") << "\"$A b\"" << "a b";
    QTest::addRow("escaped-quote-in-double") << "\"x\\\"y\"" << "x\"y";
    QTest::addRow("lone-dollar") << "a$" << "a$";
    QTest::addRow("trim-prefix") << "${P#*/}" << "b/c";
    QTest::addRow("trim-prefix-greedy") << "${P##*/}" << "c";
    QTest::addRow("trim-suffix") << "${P%/*}" << "a/b";
    QTest::addRow("trim-suffix-greedy") << "${P%%/*}" << "a";
    QTest::addRow("replace") << "${P/\\//-}" << "a-b/c";
    QTest::addRow("replace-all") << "${P//\\//-}" << "a-b-c";
    QTest::addRow("bad-substitution") << "${:x}" << "error: failed to process \"${:x}\": syntax error: bad substitution";
    QTest::addRow("missing-brace") << "${A" << "error: failed to process \"${A\": syntax error: missing '}'";
    QTest::addRow("required") << "${NOPE:?must be set}" << "error: failed to process \"${NOPE:?must be set}\": NOPE: must be set";
    QTest::addRow("unterminated-quote") << "\"abc"
                                        << "error: failed to process \"\"abc\": unexpected end of statement while looking for matching double-quote";
}

void TestDockerfile::substitution()
{
    QFETCH(QString, word);
    QFETCH(QString, expected);
    DockerfileEnv env = {{"A", "a"}, {"EMPTY", ""}, {"P", "a/b/c"}};
    QString got;
    try {
        got = QString::fromStdString(processWord(word.toStdString(), env));
    } catch (const Error &e) {
        got = "error: " + QString::fromStdString(e.what());
    }
    QCOMPARE(got, expected);
}

void TestDockerfile::expandOnlyWhereDockerDoes()
{
    Dockerfile f = parseDockerfile("FROM a\nENV D=/data\nRUN echo $D\nCOPY x $D/\nWORKDIR ${D}\nCMD echo $D\n"
                                   "LABEL \"k\"=\"$D v\"\nCOPY --chown=${U:-1}:2 y /", "Dockerfile");
    DockerfileEnv env = {{"D", "/data"}};
    auto arg = [&](size_t i, size_t a) {
        return QString::fromStdString(expandInstruction(f.instructions[i], env, f).args.at(a));
    };
    QCOMPARE(arg(2, 0), QString("echo $D")); // RUN: its shell substitutes
    QCOMPARE(arg(3, 1), QString("/data/"));
    QCOMPARE(arg(4, 0), QString("/data"));
    QCOMPARE(arg(5, 0), QString("echo $D"));
    DockerfileInstruction label = expandInstruction(f.instructions[6], env, f);
    QCOMPARE(QString::fromStdString(label.pairs.at(0).key), QString("k"));
    QCOMPARE(QString::fromStdString(*label.pairs.at(0).value), QString("/data v"));
    DockerfileInstruction copy = expandInstruction(f.instructions[7], env, f);
    QCOMPARE(QString::fromStdString(copy.flag("chown").value_or("?")), QString("1:2"));
    QVERIFY(!copy.flag("chmod"));
}

void TestDockerfile::escapeAndSyntaxDirectives()
{
    Dockerfile f = parseDockerfile("# syntax=docker/dockerfile:1\n# escape=`\nFROM a\nRUN dir c:\\ `\n  /w\nCOPY a\\b c",
                                   "Dockerfile");
    QCOMPARE(f.escape, '`');
    QCOMPARE(QString::fromStdString(f.syntax), QString("docker/dockerfile:1"));
    QCOMPARE(dump(f), QString("FROM [\"a\"] @3\nRUN [\"dir c:\\\\   /w\"] @4\nCOPY [\"a\\\\b\",\"c\"] @6"));
    // A directive after the first instruction is a comment.
    Dockerfile g = parseDockerfile("FROM a\n# escape=`\nRUN x \\\n y", "Dockerfile");
    QCOMPARE(g.escape, '\\');
    QCOMPARE(g.instructions.size(), size_t(2));
    // With ` as the escape, a backslash in a COPY source stays a backslash.
    DockerfileInstruction copy = expandInstruction(f.instructions[2], {}, f);
    QCOMPARE(QString::fromStdString(copy.args[0]), QString("a\\b"));
}

QTEST_GUILESS_MAIN(TestDockerfile)
#include "tst_dockerfile.moc"
