#include "lessonstepview.h"

#include "lessonbrowser.h"
#include "lessonvocabulary.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace hood::gui {

namespace {

QLabel *markdownLabel(const QString &objectName)
{
    auto *label = new QLabel;
    label->setObjectName(objectName);
    label->setTextFormat(Qt::MarkdownText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    return label;
}

} // namespace

LessonStepView::LessonStepView(QWidget *parent) : QWidget(parent)
{
    m_header = new QLabel;
    m_header->setObjectName("lessonHeader");
    m_header->setWordWrap(true);
    m_browser = new LessonBrowser;
    connect(m_browser, &QTextBrowser::anchorClicked, this, &LessonStepView::linkActivated);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_header);
    layout->addWidget(m_browser, 1);
    layout->addWidget(makeActionsBox());
    layout->addWidget(makePredictBox());
}

QGroupBox *LessonStepView::makeActionsBox()
{
    m_actionsBox = new QGroupBox(tr("Try it"));
    m_actionsBox->setObjectName("lessonActionsBox");
    m_actionList = new QLabel;
    m_actionList->setObjectName("lessonActionList");
    m_actionList->setWordWrap(true);
    m_doIt = new QPushButton(tr("&Do it"));
    m_doIt->setObjectName("doItButton");
    m_doIt->setToolTip(tr("Let Hood do this step's actions in the window (Alt+D)"));
    connect(m_doIt, &QPushButton::clicked, this, &LessonStepView::doItRequested);
    auto *layout = new QHBoxLayout(m_actionsBox);
    layout->addWidget(m_actionList, 1);
    layout->addWidget(m_doIt, 0, Qt::AlignTop);
    return m_actionsBox;
}

QGroupBox *LessonStepView::makePredictBox()
{
    m_predictBox = new QGroupBox(tr("Predict, then reveal"));
    m_predictBox->setObjectName("lessonPredictBox");
    m_question = markdownLabel("predictQuestion");
    m_answer = markdownLabel("revealAnswer");
    m_revealButton = new QPushButton(tr("&Reveal"));
    m_revealButton->setObjectName("revealButton");
    m_revealButton->setToolTip(tr("Show the answer once you have made your guess (Alt+R)"));
    connect(m_revealButton, &QPushButton::clicked, this, &LessonStepView::reveal);
    for (QLabel *label : {m_question, m_answer})
        connect(label, &QLabel::linkActivated, this, [this](const QString &link) {
            emit linkActivated(QUrl(link));
        });
    auto *row = new QHBoxLayout;
    row->addWidget(m_question, 1);
    row->addWidget(m_revealButton, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(m_predictBox);
    layout->addLayout(row);
    layout->addWidget(m_answer);
    return m_predictBox;
}

void LessonStepView::showStep(const LessonEntry &entry, int index, const QString &prerequisitesLine)
{
    const LessonStep &step = entry.lesson->steps.at(index);
    m_header->setText(tr("<b>%1</b> \u00b7 %2 \u00b7 about %3 min")
                          .arg(entry.lesson->title.toHtmlEscaped(), entry.lesson->level)
                          .arg(entry.lesson->minutes));
    m_header->show();
    QString markdown = "## " + step.title + "\n\n";
    // The lesson's introduction and what it builds on belong before its first step.
    if (index == 0 && !prerequisitesLine.isEmpty())
        markdown += prerequisitesLine + "\n\n";
    if (index == 0 && !entry.lesson->summary.isEmpty())
        markdown += entry.lesson->summary + "\n\n";
    m_browser->showMarkdown(markdown + step.markdown, entry.dir);
    showActions(step);
    showQuestion(step);
}

void LessonStepView::showActions(const LessonStep &step)
{
    QStringList lines;
    for (const LessonAction &action : step.actions)
        lines << QString::fromUtf8("\u2022 ") + describeAction(action);
    m_actionList->setText(lines.join('\n'));
    m_actionsBox->setVisible(!step.actions.isEmpty());
    m_doIt->setEnabled(m_actionsAvailable && !step.actions.isEmpty());
}

void LessonStepView::showQuestion(const LessonStep &step)
{
    m_question->setText(step.predict);
    m_answer->setText(step.reveal);
    m_answer->hide();
    m_revealButton->setEnabled(true);
    m_predictBox->setVisible(!step.predict.isEmpty());
}

void LessonStepView::showError(const LessonEntry &entry)
{
    showMessage(tr("## This lesson cannot be shown\n\n%1\n\nFix `%2/lesson.md` "
                   "(the format is in `lessons/README.md`) and open the lesson again.")
                    .arg(entry.error, entry.slug));
}

void LessonStepView::showMessage(const QString &markdown)
{
    m_browser->showMarkdown(markdown, {});
    m_header->hide();
    m_actionsBox->hide();
    m_predictBox->hide();
}

void LessonStepView::reveal()
{
    if (!m_predictBox->isVisible())
        return;
    m_answer->show();
    m_revealButton->setEnabled(false);
}

bool LessonStepView::isRevealed() const
{
    return !m_answer->isHidden();
}

void LessonStepView::setScale(double scale)
{
    m_browser->setScale(scale);
}

void LessonStepView::setActionsAvailable(bool available, const QString &whyNot)
{
    m_actionsAvailable = available;
    m_doIt->setEnabled(available && m_actionsBox->isVisibleTo(this));
    m_doIt->setToolTip(available ? tr("Let Hood do this step's actions in the window (Alt+D)")
                                 : whyNot);
}

} // namespace hood::gui
