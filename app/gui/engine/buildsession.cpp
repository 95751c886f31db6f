#include "buildsession.h"

#include "controller.h"

#include "error.h"
#include "image/store.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

namespace hood::gui {

BuildStepEvent buildStepEvent(const QJsonObject &o)
{
    BuildStepEvent e;
    e.done = o["phase"].toString() == QLatin1String("done");
    e.index = o["step"].toInt();
    e.total = o["total"].toInt();
    e.instruction = o["instruction"].toString();
    e.key = o["key"].toString();
    e.reason = o["reason"].toString();
    e.layer = o["layer"].toString();
    e.cached = o["cached"].toBool();
    e.size = quint64(o["size"].toDouble());
    e.seconds = o["seconds"].toDouble();
    return e;
}

BuildSession::BuildSession(const QString &hoodctl, const QString &stateRoot, QObject *parent)
    : QObject(parent), m_hoodctl(hoodctl), m_stateRoot(stateRoot)
{
}

// A build still running when the window closes is stopped (SIGTERM); what a
// stopped build leaves (its RUN container, a half layer) is `hoodctl gc`'s to remove.
BuildSession::~BuildSession()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->terminate();
        m_process->waitForFinished(5000);
    }
}

void BuildSession::build(const QString &contextDir, const QString &tag, bool noCache)
{
    QStringList args = {"build", "--progress", "json"};
    if (!tag.isEmpty())
        args << "-t" << tag;
    if (noCache)
        args << "--no-cache";
    start(args << contextDir);
}

void BuildSession::pull(const QString &ref, bool tlsVerify)
{
    QStringList args = {"pull", "--progress", "json"};
    if (!tlsVerify)
        args << "--tls-verify=false";
    start(args << ref);
}

void BuildSession::push(const QString &image, const QString &ref, bool tlsVerify)
{
    QStringList args = {"push", "--progress", "json"};
    if (!tlsVerify)
        args << "--tls-verify=false";
    start(args << image << ref);
}

void BuildSession::start(const QStringList &args)
{
    if (m_process)
        return;
    m_pending.clear();
    m_imageId.clear();
    m_digest.clear();
    m_process = new QProcess(this);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!m_stateRoot.isEmpty())
        env.insert("HOOD_ROOT", m_stateRoot);
    m_process->setProcessEnvironment(env);
    m_process->setStandardInputFile(QProcess::nullDevice());
    connect(m_process, &QProcess::readyReadStandardOutput, this, &BuildSession::readLines);
    connect(m_process, &QProcess::finished, this,
            [this](int code, QProcess::ExitStatus status) { onFinished(status == QProcess::NormalExit && code == 0); });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            onFinished(false);
    });
    emit busyChanged(true);
    m_process->start(m_hoodctl, args);
}

void BuildSession::readLines()
{
    m_pending += m_process->readAllStandardOutput();
    qsizetype nl;
    while ((nl = m_pending.indexOf('\n')) >= 0) {
        const QJsonObject o = QJsonDocument::fromJson(m_pending.left(nl)).object();
        m_pending.remove(0, nl + 1);
        const QString phase = o["phase"].toString();
        if (phase == QLatin1String("start") || phase == QLatin1String("done")) {
            emit step(buildStepEvent(o));
        } else if (phase == QLatin1String("blob")) {
            emit blob({o["what"].toString(), quint64(o["done"].toDouble()), quint64(o["total"].toDouble())});
        } else if (phase == QLatin1String("image")) {
            m_imageId = o["id"].toString();
            m_digest = o["digest"].toString();
        }
    }
}

void BuildSession::onFinished(bool ok)
{
    QProcess *p = std::exchange(m_process, nullptr);
    if (!p)
        return;
    m_process = p; // readLines reads from it once more
    readLines();
    m_process = nullptr;
    QString sentence;
    if (!ok) {
        sentence = p->error() == QProcess::FailedToStart ? tr("cannot start %1: %2").arg(m_hoodctl, p->errorString())
                                                          : engineSentence(QString::fromUtf8(p->readAllStandardError()));
        if (sentence.isEmpty())
            sentence = tr("hoodctl %1 failed without saying why.").arg(p->arguments().value(0));
    }
    p->deleteLater();
    emit busyChanged(false);
    emit finished(ok, m_imageId, m_digest, sentence);
}

LayerSnapshot imageLayerSnapshot(const QString &storeDir, const QString &image, const QString &diffId, int *layer)
{
    LayerSnapshot s;
    s.id = image;
    *layer = -1;
    try {
        const image::Store store(storeDir.toStdString());
        image::ImageRecord record;
        std::vector<image::LayerInfo> layers;
        std::vector<image::HistoryEntry> history;
        {
            Fd lock = store.lock(false);
            record = store.resolve(image.toStdString());
            layers = store.layers(record);
            history = store.history(record);
        }
        std::vector<image::LayerInput> inputs;
        for (size_t i = 0; i < layers.size(); ++i) {
            inputs.push_back(image::scanLayerDir(layers[i].dir));
            if (QString::fromStdString(layers[i].diffId) == diffId)
                *layer = int(i);
        }
        // The store lists history top first; the view wants it oldest first.
        std::vector<image::HistoryStep> lines;
        for (auto h = history.rbegin(); h != history.rend(); ++h)
            lines.push_back({h->createdBy, h->size, h->emptyLayer});
        s.layers.view = image::computeLayerView(inputs, lines);
    } catch (const std::exception &e) {
        s.problem = QString::fromUtf8(e.what());
    }
    return s;
}

} // namespace hood::gui
