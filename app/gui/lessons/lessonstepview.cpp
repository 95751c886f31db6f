#include "lessonstepview.h"

#include "diagramdialog.h"
#include "lessonbrowser.h"
#include "measureview.h"
#include "lessonvocabulary.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollBar>
#include <QSplitter>
#include <QUrl>
#include <QVBoxLayout>

namespace hood::gui {

namespace {

// Commands such as `ps | head -5` or `limit_in_bytes` are text, not Markdown.
QString markdownEscaped(const QString &text)
{
    QString out;
    for (QChar c : text) {
        if (QStringLiteral("\\`*_[]<>#|~!").contains(c))
            out += '\\';
        out += c;
    }
    return out;
}

} // namespace

LessonStepView::LessonStepView(QWidget *parent) : QWidget(parent)
{
    m_header = new QLabel;
    m_header->setObjectName("lessonHeader");
    m_header->setWordWrap(true);
    m_header->setContentsMargins(4, 2, 4, 2);
    m_header->setTextFormat(Qt::RichText);
    m_browser = new LessonBrowser;
    connect(m_browser, &QTextBrowser::anchorClicked, this, &LessonStepView::linkActivated);
    connect(m_browser, &LessonBrowser::imageClicked, this, &LessonStepView::showDiagram);
    m_measure = new MeasureView;
    connect(m_measure, &MeasureView::changed, this, &LessonStepView::fitMeasure);
    m_split = new QSplitter(Qt::Vertical);
    m_split->setObjectName("stepSplitter");
    m_split->setChildrenCollapsible(false);
    m_split->addWidget(m_browser);
    m_split->addWidget(m_measure);
    // A taller dock gives its height to the text; the figures keep theirs.
    m_split->setStretchFactor(0, 1);
    m_split->setStretchFactor(1, 0);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_header);
    layout->addWidget(m_split, 1);
    layout->addWidget(makeButtons());
    m_status = new QLabel;
    m_status->setObjectName("lessonStatus");
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setContentsMargins(4, 2, 4, 2);
    m_status->hide();
    layout->addWidget(m_status);
}

QWidget *LessonStepView::makeButtons()
{
    m_doIt = new QPushButton(tr("Do it"));
    m_doIt->setObjectName("doItButton");
    connect(m_doIt, &QPushButton::clicked, this, &LessonStepView::doItRequested);
    m_revealButton = new QPushButton(tr("Reveal the answer"));
    m_revealButton->setObjectName("revealButton");
    m_revealButton->setToolTip(
        tr("Show the answer once you have made your guess (Ctrl+Shift+Enter)"));
    connect(m_revealButton, &QPushButton::clicked, this, &LessonStepView::reveal);
    m_buttons = new QWidget;
    auto *layout = new QHBoxLayout(m_buttons);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addWidget(m_doIt, 1);
    layout->addWidget(m_revealButton, 1);
    return m_buttons;
}

void LessonStepView::showStep(const LessonEntry &entry, int index, const QString &prerequisitesLine)
{
    const Lesson &lesson = *entry.lesson;
    m_step = lesson.steps.at(index);
    m_dir = entry.dir;
    m_revealed = false;
    // Smaller than the step's text: it says where one is, the step is what to read.
    m_header->setText(tr("<span style='font-size: small'><b>%1</b> \u00b7 %2 \u00b7 about %3 min</span>")
                          .arg(lesson.title.toHtmlEscaped(), lesson.level)
                          .arg(lesson.minutes));
    m_header->show();
    m_intro = "## " + m_step.title + "\n\n";
    // The lesson's introduction and what it builds on belong before its first step.
    if (index == 0 && !prerequisitesLine.isEmpty())
        m_intro += prerequisitesLine + "\n\n";
    if (index == 0 && !lesson.summary.isEmpty())
        m_intro += lesson.summary + "\n\n";
    m_intro += m_step.markdown;
    m_browser->showMarkdown(composeMarkdown(), m_dir);
    updateButtons();
}

QString LessonStepView::composeMarkdown() const
{
    QString markdown = m_intro;
    if (!m_step.actions.isEmpty()) {
        markdown += tr("\n\n### Try it\n\n**Do it** (Ctrl+Enter) lets Hood:\n\n");
        for (const LessonAction &action : m_step.actions)
            markdown += "- " + markdownEscaped(describeAction(action)) + "\n";
    }
    if (!m_step.predict.isEmpty()) {
        markdown += tr("\n\n### Predict, then reveal\n\n") + m_step.predict;
        if (m_revealed)
            markdown += tr("\n\n**Answer.** ") + m_step.reveal;
    }
    return markdown;
}

void LessonStepView::updateButtons()
{
    m_doIt->setVisible(!m_step.actions.isEmpty());
    m_doIt->setEnabled(m_actionsAvailable);
    m_doIt->setToolTip(m_actionsAvailable ? tr("Let Hood do what the step lists under "
                                               "\"Try it\" (Ctrl+Enter)")
                                          : m_whyNoActions);
    m_revealButton->setVisible(!m_step.predict.isEmpty());
    m_revealButton->setEnabled(!m_revealed);
    m_buttons->setVisible(!m_step.actions.isEmpty() || !m_step.predict.isEmpty());
}

void LessonStepView::showError(const LessonEntry &entry)
{
    showMessage(tr("## This lesson cannot be shown\n\n%1\n\nFix `%2/lesson.md` "
                   "(the format is in `lessons/README.md`) and open the lesson again.")
                    .arg(entry.error, entry.slug));
}

void LessonStepView::showMessage(const QString &markdown)
{
    m_step = LessonStep{};
    m_intro = markdown;
    m_dir.clear();
    m_revealed = false;
    m_header->hide();
    m_browser->showMarkdown(markdown, {});
    updateButtons();
}

void LessonStepView::reveal()
{
    if (m_step.predict.isEmpty() || m_revealed)
        return;
    m_revealed = true;
    m_browser->showMarkdown(composeMarkdown(), m_dir);
    // The answer is the last thing in the step: bring it into view.
    m_browser->verticalScrollBar()->setValue(m_browser->verticalScrollBar()->maximum());
    updateButtons();
}

// The figures as tall as they need to be seen whole, but the step's text keeps half
// the height at least: it says what the figures mean.
void LessonStepView::fitMeasure()
{
    if (m_measure->isHidden())
        return;
    const int total = m_split->height() - m_split->handleWidth();
    if (total <= 0)
        return;
    const int figures = std::min(m_measure->preferredHeight(m_split->width()), total / 2);
    m_split->setSizes({total - figures, figures});
}

void LessonStepView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitMeasure();
}

void LessonStepView::showDiagram(const QString &path, const QString &caption)
{
    auto *dialog = new DiagramDialog(path, caption, this);
    dialog->setFont(font());
    dialog->open();
}

void LessonStepView::setScale(double scale)
{
    m_browser->setScale(scale);
}

void LessonStepView::setStatus(const QString &text, bool failed)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    // The alert colour marks it, and the sentence itself says what went wrong.
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    m_status->setStyleSheet(failed ? QStringLiteral("color: %1; font-weight: bold").arg(dark ? "#ff7b6b" : "#b3261e")
                                   : QString());
}

QString LessonStepView::status() const
{
    return m_status->text();
}

void LessonStepView::setActionsAvailable(bool available, const QString &whyNot)
{
    m_actionsAvailable = available;
    m_whyNoActions = whyNot;
    updateButtons();
}

} // namespace hood::gui
