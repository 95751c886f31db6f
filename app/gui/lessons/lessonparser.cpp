#include "lessonparser.h"

#include "lessonvocabulary.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

namespace hood::gui {

namespace {

const QStringList kFrontMatterKeys = {"title", "level", "minutes", "prerequisites"};
const QStringList kLevels = {"beginner", "intermediate", "advanced"};

QString quoted(const QString &text)
{
    return '"' + text + '"';
}

QString withoutQuotes(const QString &value)
{
    const bool quotedValue = value.size() >= 2 && value.front() == value.back()
                             && (value.front() == '"' || value.front() == '\'');
    return quotedValue ? value.mid(1, value.size() - 2) : value;
}

// Removes leading and trailing blank lines and joins the rest.
QString joinTrimmed(QStringList lines)
{
    while (!lines.isEmpty() && lines.front().trimmed().isEmpty())
        lines.removeFirst();
    while (!lines.isEmpty() && lines.back().trimmed().isEmpty())
        lines.removeLast();
    return lines.join('\n');
}

// A fenced code block's opening line: up to three spaces, three or more backticks
// or tildes, then the info string (CommonMark's rule).
const QRegularExpression kFenceOpen(QStringLiteral("^ {0,3}(`{3,}|~{3,})\\s*(.*)$"));

bool closesFence(const QString &line, const QString &fence)
{
    // At most three spaces of indent, then at least as many of the same fence
    // characters as opened it, and nothing else.
    const QString trimmed = line.trimmed();
    return !line.startsWith(QString(4, ' ')) && trimmed.size() >= fence.size()
           && trimmed == QString(trimmed.size(), fence.front());
}

class Parser {
public:
    Parser(const QString &text, const QString &file)
        : m_lines(QString(text).remove('\r').split('\n')), m_file(file)
    {}

    std::optional<Lesson> run(QString *error);

private:
    bool fail(int line, const QString &what);
    bool failInStep(int line, const QString &what);

    bool parseFrontMatter();
    bool parseFrontMatterLine(int line, const QString &text, QSet<QString> &seen);
    bool setFrontMatterValue(int line, const QString &key, const QString &value);
    bool setPrerequisites(int line, const QString &value);

    bool parseBody();
    bool parseFence(int &index);
    bool parseBlock(int line, const QString &info, const QStringList &body);
    bool parseAction(int line, const QString &name, const QStringList &body);
    bool setAnswerBlock(int line, const QString &kind, const QStringList &body);
    void startStep(int line, const QString &title);
    bool finishStep();
    void addText(const QString &line);

    QStringList m_lines;
    QString m_file;
    QString m_error;
    Lesson m_lesson;
    int m_bodyStart = 0; // index of the first line after the front matter
    std::optional<LessonStep> m_step;
    QStringList m_text; // the current step's (or the summary's) Markdown lines
    int m_predictLine = 0;
};

bool Parser::fail(int line, const QString &what)
{
    m_error = QStringLiteral("%1:%2: %3").arg(m_file).arg(line).arg(what);
    return false;
}

bool Parser::failInStep(int line, const QString &what)
{
    return fail(line, QStringLiteral("step %1: %2").arg(quoted(m_step->title), what));
}

std::optional<Lesson> Parser::run(QString *error)
{
    if (parseFrontMatter() && parseBody())
        return m_lesson;
    *error = m_error;
    return std::nullopt;
}

bool Parser::parseFrontMatter()
{
    if (m_lines.front().trimmed() != "---")
        return fail(1, "a lesson starts with front matter between two --- lines");
    QSet<QString> seen;
    for (int i = 1; i < m_lines.size(); ++i) {
        if (m_lines[i].trimmed() == "---") {
            m_bodyStart = i + 1;
            for (const QString &key : kFrontMatterKeys) {
                if (!seen.contains(key))
                    return fail(1, "the front matter has no " + key);
            }
            return true;
        }
        if (!parseFrontMatterLine(i + 1, m_lines[i], seen))
            return false;
    }
    return fail(1, "the front matter is not closed by a --- line");
}

bool Parser::parseFrontMatterLine(int line, const QString &text, QSet<QString> &seen)
{
    if (text.trimmed().isEmpty() || text.trimmed().startsWith('#'))
        return true;
    static const QRegularExpression keyValue(QStringLiteral("^([A-Za-z_-]+):(.*)$"));
    const QRegularExpressionMatch m = keyValue.match(text);
    if (!m.hasMatch())
        return fail(line, "expected \"key: value\" in the front matter, not " + quoted(text));
    const QString key = m.captured(1);
    if (!kFrontMatterKeys.contains(key))
        return fail(line, QStringLiteral("unknown front matter key %1 (expected %2)")
                              .arg(quoted(key), kFrontMatterKeys.join(", ")));
    if (seen.contains(key))
        return fail(line, "the front matter sets " + key + " twice");
    seen.insert(key);
    return setFrontMatterValue(line, key, m.captured(2).trimmed());
}

bool Parser::setFrontMatterValue(int line, const QString &key, const QString &value)
{
    if (key == "title") {
        m_lesson.title = withoutQuotes(value).trimmed();
        return !m_lesson.title.isEmpty() || fail(line, "the title is empty");
    }
    if (key == "level") {
        m_lesson.level = value;
        return kLevels.contains(value)
               || fail(line,
                       "level must be beginner, intermediate or advanced, not " + quoted(value));
    }
    if (key == "minutes") {
        bool ok = false;
        m_lesson.minutes = value.toInt(&ok);
        return (ok && m_lesson.minutes >= 1 && m_lesson.minutes <= 600)
               || fail(line, "minutes must be a whole number from 1 to 600, not " + quoted(value));
    }
    return setPrerequisites(line, value);
}

bool Parser::setPrerequisites(int line, const QString &value)
{
    if (!value.startsWith('[') || !value.endsWith(']'))
        return fail(line,
                    "prerequisites must be a list in brackets, such as [01-namespaces] or []");
    const QString inner = value.mid(1, value.size() - 2).trimmed();
    if (inner.isEmpty())
        return true;
    for (const QString &item : inner.split(',')) {
        const QString slug = withoutQuotes(item.trimmed());
        if (!isLessonSlug(slug))
            return fail(line, QStringLiteral("prerequisite %1 is not a lesson folder name such as "
                                             "01-namespaces")
                                  .arg(quoted(slug)));
        m_lesson.prerequisites << slug;
    }
    return true;
}

bool Parser::parseBody()
{
    for (int i = m_bodyStart; i < m_lines.size(); ++i) {
        const QString &line = m_lines[i];
        if (kFenceOpen.match(line).hasMatch()) {
            if (!parseFence(i))
                return false;
        } else if (line.startsWith("## ")) {
            if (m_step && !finishStep())
                return false;
            startStep(i + 1, line.mid(3).trimmed());
        } else if (line.startsWith("# ")) {
            return fail(i + 1, "a step starts with ## (the lesson's title is in the front matter)");
        } else {
            addText(line);
        }
    }
    if (m_step)
        return finishStep();
    return fail(m_bodyStart + 1, "the lesson has no steps (each step starts with a ## heading)");
}

// Moves `index` to the closing fence. Action, predict and reveal blocks belong to the
// step; any other code block is Markdown text.
bool Parser::parseFence(int &index)
{
    const QRegularExpressionMatch open = kFenceOpen.match(m_lines[index]);
    const QString fence = open.captured(1);
    const int openLine = index + 1;
    int close = index + 1;
    while (close < m_lines.size() && !closesFence(m_lines[close], fence))
        ++close;
    if (close == m_lines.size())
        return fail(openLine, "the code block opened here is never closed");
    const QString info = open.captured(2).trimmed();
    const QString kind = info.section(' ', 0, 0);
    if (kind == "action" || kind == "predict" || kind == "reveal") {
        if (!parseBlock(openLine, info, m_lines.mid(index + 1, close - index - 1)))
            return false;
    } else {
        for (int i = index; i <= close; ++i)
            addText(m_lines[i]);
    }
    index = close;
    return true;
}

bool Parser::parseBlock(int line, const QString &info, const QStringList &body)
{
    const QString kind = info.section(' ', 0, 0);
    if (!m_step)
        return fail(line, "the " + kind + " block must be inside a step (after a ## heading)");
    if (kind == "action")
        return parseAction(line, info.section(' ', 1).trimmed(), body);
    if (info != kind)
        return failInStep(line, QStringLiteral("unexpected %1 after %2 (the block's text goes on "
                                               "the lines below)")
                                    .arg(quoted(info.section(' ', 1).trimmed()), kind));
    return setAnswerBlock(line, kind, body);
}

bool Parser::parseAction(int line, const QString &name, const QStringList &body)
{
    if (name.isEmpty())
        return failInStep(line, "the action block names no action (write ```action NAME)");
    if (!lessonActionNames().contains(name))
        return failInStep(line, QStringLiteral("unknown action %1 (expected %2)")
                                    .arg(quoted(name), lessonActionNames().join(", ")));
    const QString where =
        QStringLiteral("step %1, action %2: ").arg(quoted(m_step->title), quoted(name));
    QJsonObject args;
    const QString json = body.join('\n').trimmed();
    if (!json.isEmpty()) {
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8(), &err);
        if (err.error != QJsonParseError::NoError || !doc.isObject())
            return fail(line, where
                                  + "the arguments must be one JSON object, such as "
                                    "{\"page\": \"resources\"}");
        args = doc.object();
    }
    if (const QString problem = checkAction(name, args); !problem.isEmpty())
        return fail(line, where + problem);
    m_step->actions.append({name, args, line});
    return true;
}

bool Parser::setAnswerBlock(int line, const QString &kind, const QStringList &body)
{
    const QString text = joinTrimmed(body);
    QString &slot = kind == "predict" ? m_step->predict : m_step->reveal;
    if (!slot.isEmpty())
        return failInStep(line, "a second " + kind + " block (a step asks one question)");
    if (text.isEmpty())
        return failInStep(line, "the " + kind + " block is empty");
    if (kind == "reveal" && m_step->predict.isEmpty())
        return failInStep(line, "the reveal block has no predict block before it");
    if (kind == "predict")
        m_predictLine = line;
    slot = text;
    return true;
}

void Parser::startStep(int line, const QString &title)
{
    if (!m_step)
        m_lesson.summary = joinTrimmed(m_text);
    m_text.clear();
    m_step = LessonStep{};
    m_step->title = title;
    m_step->line = line;
}

bool Parser::finishStep()
{
    LessonStep &step = *m_step;
    step.markdown = joinTrimmed(m_text);
    if (step.title.isEmpty())
        return fail(step.line, "a step has an empty ## heading");
    if (!step.predict.isEmpty() && step.reveal.isEmpty())
        return failInStep(m_predictLine, "the predict block has no reveal block to answer it");
    if (step.markdown.isEmpty() && step.actions.isEmpty() && step.predict.isEmpty())
        return failInStep(step.line, "the step is empty");
    m_lesson.steps.append(step);
    return true;
}

void Parser::addText(const QString &line)
{
    m_text.append(line);
}

} // namespace

std::optional<Lesson> parseLesson(const QString &text, const QString &file, QString *error)
{
    return Parser(text, file).run(error);
}

bool isLessonSlug(const QString &slug)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9]{2}-[a-z0-9]+(-[a-z0-9]+)*$"));
    return pattern.match(slug).hasMatch();
}

} // namespace hood::gui
