{{/* The chart's name, 63 characters at most. */}}
{{- define "backlog-sync.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The release's full name, 40 characters at most: room for a role Deployment's
suffix (up to 21 characters) in a 63-character name.
*/}}
{{- define "backlog-sync.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "backlog-sync.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "backlog-sync.selectorLabels" -}}
app.kubernetes.io/name: {{ include "backlog-sync.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "backlog-sync.labels" -}}
helm.sh/chart: {{ include "backlog-sync.chart" . }}
{{ include "backlog-sync.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "backlog-sync.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "backlog-sync.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret the pods take their BACKLOG_SYNC_* environment from. */}}
{{- define "backlog-sync.secretName" -}}
{{- default (include "backlog-sync.fullname" .) .Values.existingSecret -}}
{{- end -}}

{{- define "backlog-sync.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* True (non-empty) when the database URL given in values is SQLite. */}}
{{- define "backlog-sync.sqlite" -}}
{{- if and (not .Values.existingSecret) (hasPrefix "sqlite" .Values.database.url) -}}true{{- end -}}
{{- end -}}

{{/*
The Secret's data: environment variable name -> value, non-empty values only.
*/}}
{{- define "backlog-sync.secretEnv" -}}
{{- $s := .Values.secrets -}}
{{- $channels := "" -}}
{{- if $s.digestChannelSecrets -}}{{- $channels = toJson $s.digestChannelSecrets -}}{{- end -}}
{{- $env := dict "BACKLOG_SYNC_DATABASE_URL" .Values.database.url "BACKLOG_SYNC_GITHUB_TOKEN" $s.githubToken "BACKLOG_SYNC_GITHUB_APP_ID" $s.githubAppId "BACKLOG_SYNC_GITHUB_PRIVATE_KEY" $s.githubPrivateKey "BACKLOG_SYNC_GITHUB_WEBHOOK_SECRET" $s.githubWebhookSecret "BACKLOG_SYNC_JIRA_EMAIL" $s.jiraEmail "BACKLOG_SYNC_JIRA_API_TOKEN" $s.jiraApiToken "BACKLOG_SYNC_JIRA_TOKEN" $s.jiraToken "BACKLOG_SYNC_JIRA_WEBHOOK_SECRET" $s.jiraWebhookSecret "BACKLOG_SYNC_DIGEST_CHANNEL_SECRETS" $channels -}}
{{- range $key := keys $env | sortAlpha }}
{{- $value := get $env $key }}
{{- if $value }}
{{ $key }}: {{ $value | toString | b64enc | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
The Deployments to run, as JSON {"items": [...]}: one running every role by
default, or one per roles.deployments entry when roles.split.
*/}}
{{- define "backlog-sync.deployments" -}}
{{- $items := list -}}
{{- if .Values.roles.split -}}
{{- range .Values.roles.deployments -}}
{{- $items = append $items (dict "suffix" (printf "-%s" .name) "component" .name "roles" .roles "replicas" .replicas "resources" (default (dict) .resources) "autoscaling" (default (dict) .autoscaling)) -}}
{{- end -}}
{{- else -}}
{{- $items = list (dict "suffix" "" "component" "all" "roles" (list "api" "worker" "scheduler") "replicas" .Values.replicaCount "resources" (dict) "autoscaling" (dict)) -}}
{{- end -}}
{{- toJson (dict "items" $items) -}}
{{- end -}}
