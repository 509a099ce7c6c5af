import groovy.json.JsonOutput

/**
 * notifyRunbook(event:, text:, notify: { Map e -> ... }, mailTo:, webhookCredentialsId:, webhookUrl:, details: [:])
 *
 * Tells people what the migration is doing. Never fails the build: a notification that cannot be sent is
 * logged and the migration goes on (an abort still stops the build). Channels, all optional:
 * a closure (notify), mail (mailTo, Mailer plugin) and a Slack-compatible webhook (webhookCredentialsId of a Secret text
 * credential holding the URL, or webhookUrl; HTTP Request plugin).
 */
def call(Map args = [:]) {
    Map event = [event: args.event ?: 'info', text: args.text ?: '', run: env.BUILD_URL ?: '', details: args.details ?: [:]]
    boolean sent = false
    if (args.notify instanceof Closure) {
        sent = attempt('notify closure') { args.notify.call(event) } || sent
    }
    if (args.mailTo) {
        sent = attempt('mail') {
            String template = libraryResource('io/migrationrunbook/pipeline/notification-mail.txt')
            mail(to: args.mailTo, subject: "[migration] ${event.event}: ${env.JOB_NAME ?: ''} ${env.BUILD_NUMBER ?: ''}".toString(),
                    body: render(template, event))
        } || sent
    }
    if (args.webhookCredentialsId) {
        // a Slack or Teams webhook URL carries its token: keep it in a Secret text credential, never in the Jenkinsfile
        sent = attempt('webhook') {
            withCredentials([string(credentialsId: args.webhookCredentialsId, variable: 'RUNBOOK_WEBHOOK_URL')]) {
                String url = env.RUNBOOK_WEBHOOK_URL
                try {
                    postWebhook(url, event)
                } catch (Throwable t) {
                    // attempt() logs the message after withCredentials has ended, where Jenkins no longer masks the URL
                    if (t instanceof InterruptedException || t.getClass().getName().endsWith('FlowInterruptedException')) {
                        throw t
                    }
                    String message = String.valueOf(t.getMessage() ?: t.getClass().getSimpleName())
                    throw new IllegalStateException(url ? message.replace(url, '****') : message)
                }
            }
        } || sent
    } else if (args.webhookUrl) {
        sent = attempt('webhook') { postWebhook(args.webhookUrl, event) } || sent
    }
    if (!sent) {
        echo("[migration] ${event.event}: ${event.text}")
    }
    return sent
}

def postWebhook(String url, Map event) {
    httpRequest(url: url, httpMode: 'POST', contentType: 'APPLICATION_JSON', requestBody: webhookBody(event),
            validResponseCodes: '100:399', quiet: true, consoleLogResponseBody: false)
}

/** Runs one channel; a failure is logged, never thrown (an abort is). */
def attempt(String channel, Closure send) {
    try {
        send()
        return true
    } catch (Throwable t) {
        if (t instanceof InterruptedException || t.getClass().getName().endsWith('FlowInterruptedException')) {
            throw t
        }
        echo("[migration] could not notify through ${channel}: ${t.getMessage() ?: t.getClass().getSimpleName()} (the migration goes on)")
        return false
    }
}

/** Fills ${event}, ${text} and ${run} in a template of resources/ (no Groovy evaluation of the text). */
@NonCPS
String render(String template, Map event) {
    return template.replace('${event}', String.valueOf(event.event)).replace('${text}', String.valueOf(event.text))
            .replace('${run}', String.valueOf(event.run))
}

@NonCPS
String webhookBody(Map event) {
    // Slack-compatible; Microsoft Teams incoming webhooks accept the same "text" field
    return JsonOutput.toJson([text: "*Migration ${event.event}*: ${event.text}\n${event.run}".toString()])
}
