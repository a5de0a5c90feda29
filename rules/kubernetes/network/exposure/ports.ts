/** Well-known ports of remote-access, control-plane and database services, by number and by port name. */

/** Remote administration: a shell, a desktop, or the container runtime. */
export const REMOTE_ACCESS: Readonly<Record<number, string>> = {
  22: 'SSH',
  2222: 'SSH',
  23: 'Telnet',
  2375: 'the unencrypted Docker API',
  2376: 'the Docker API',
  3389: 'RDP',
  5900: 'VNC',
  5901: 'VNC',
  5985: 'WinRM',
  5986: 'WinRM',
};

/** Kubernetes control plane and node agents. */
export const CONTROL_PLANE: Readonly<Record<number, string>> = {
  2379: 'the etcd client API',
  2380: 'the etcd peer API',
  6443: 'the Kubernetes API',
  10250: 'the kubelet API',
  10255: 'the kubelet read-only API',
};

/** Databases and caches: fine inside the cluster, not on a node port or a load balancer. */
export const DATABASES: Readonly<Record<number, string>> = {
  1433: 'SQL Server',
  1521: 'Oracle',
  2181: 'ZooKeeper',
  3306: 'MySQL',
  5432: 'PostgreSQL',
  5984: 'CouchDB',
  6379: 'Redis',
  7687: 'Neo4j (Bolt)',
  8086: 'InfluxDB',
  9042: 'Cassandra',
  9200: 'Elasticsearch',
  9300: 'Elasticsearch (transport)',
  11211: 'Memcached',
  26257: 'CockroachDB',
  27017: 'MongoDB',
  27018: 'MongoDB',
};

/** Port names (or `-`-separated parts of them, as in `tcp-postgresql`) that say what listens. */
const NAMES: Readonly<Record<string, { what: string; kind: 'remote' | 'database' }>> = {
  ssh: { what: 'SSH', kind: 'remote' },
  telnet: { what: 'Telnet', kind: 'remote' },
  rdp: { what: 'RDP', kind: 'remote' },
  vnc: { what: 'VNC', kind: 'remote' },
  winrm: { what: 'WinRM', kind: 'remote' },
  mysql: { what: 'MySQL', kind: 'database' },
  mariadb: { what: 'MariaDB', kind: 'database' },
  postgres: { what: 'PostgreSQL', kind: 'database' },
  postgresql: { what: 'PostgreSQL', kind: 'database' },
  redis: { what: 'Redis', kind: 'database' },
  mongo: { what: 'MongoDB', kind: 'database' },
  mongodb: { what: 'MongoDB', kind: 'database' },
  mssql: { what: 'SQL Server', kind: 'database' },
  cassandra: { what: 'Cassandra', kind: 'database' },
  memcached: { what: 'Memcached', kind: 'database' },
  couchdb: { what: 'CouchDB', kind: 'database' },
};

export function nameService(name: string | undefined): { what: string; kind: 'remote' | 'database' } | undefined {
  if (!name) return undefined;
  for (const part of name.toLowerCase().split('-')) {
    const hit = Object.prototype.hasOwnProperty.call(NAMES, part) ? NAMES[part] : undefined;
    if (hit) return hit;
  }
  return undefined;
}
