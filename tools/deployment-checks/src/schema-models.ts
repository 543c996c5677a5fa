/** A generated model: constructed from an object, it validates it against its OpenAPI schema. */
export interface SchemaModel {
  new (data: never): { validate(): void };
}

type ModelLoader = () => Promise<SchemaModel>;

// Each model is imported only when an object of its kind is validated: the schema packages are large,
// ES modules only, and loading one class loads just that class's compiled validator.
const MODELS: Record<string, ModelLoader> = {
  'v1/Namespace': async () => (await import('kubernetes-models/v1/Namespace')).Namespace,
  'v1/ConfigMap': async () => (await import('kubernetes-models/v1/ConfigMap')).ConfigMap,
  'v1/Secret': async () => (await import('kubernetes-models/v1/Secret')).Secret,
  'v1/Service': async () => (await import('kubernetes-models/v1/Service')).Service,
  'v1/ServiceAccount': async () => (await import('kubernetes-models/v1/ServiceAccount')).ServiceAccount,
  'v1/PersistentVolumeClaim': async () => (await import('kubernetes-models/v1/PersistentVolumeClaim')).PersistentVolumeClaim,
  'apps/v1/Deployment': async () => (await import('kubernetes-models/apps/v1/Deployment')).Deployment,
  'apps/v1/StatefulSet': async () => (await import('kubernetes-models/apps/v1/StatefulSet')).StatefulSet,
  'batch/v1/Job': async () => (await import('kubernetes-models/batch/v1/Job')).Job,
  'batch/v1/CronJob': async () => (await import('kubernetes-models/batch/v1/CronJob')).CronJob,
  'autoscaling/v2/HorizontalPodAutoscaler': async () => (await import('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler')).HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': async () => (await import('kubernetes-models/policy/v1/PodDisruptionBudget')).PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': async () => (await import('kubernetes-models/networking.k8s.io/v1/NetworkPolicy')).NetworkPolicy,
  'networking.k8s.io/v1/Ingress': async () => (await import('kubernetes-models/networking.k8s.io/v1/Ingress')).Ingress,
  'rbac.authorization.k8s.io/v1/Role': async () => (await import('kubernetes-models/rbac.authorization.k8s.io/v1/Role')).Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': async () => (await import('kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding')).RoleBinding,
  'monitoring.coreos.com/v1/ServiceMonitor': async () => (await import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor')).ServiceMonitor,
  'monitoring.coreos.com/v1/PodMonitor': async () => (await import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor')).PodMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': async () => (await import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule')).PrometheusRule,
  'postgresql.cnpg.io/v1/Cluster': async () => (await import('@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster')).Cluster,
  'postgresql.cnpg.io/v1/ScheduledBackup': async () => (await import('@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/ScheduledBackup')).ScheduledBackup,
};

/** The model for an apiVersion and kind, or undefined when no schema for it is known here. */
export function modelFor(apiVersion: string, kind: string): Promise<SchemaModel> | undefined {
  return MODELS[`${apiVersion}/${kind}`]?.();
}
