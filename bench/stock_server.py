"""A stock PostgreSQL server for the benchmark: the distribution's defaults (wal_level=replica),
on a unix socket in a temporary folder, reached by a non-superuser that may create databases,
through a DATABASE_URL-style URL. Started and stopped by bench.py; nothing else touches it.

As root (sessions and CI run as root, and PostgreSQL refuses to), the server runs as the
`postgres` account.
"""
import glob
import os
import pwd
import shutil
import subprocess
import tempfile


def _bindir():
    try:
        out = subprocess.run(["pg_config", "--bindir"], check=True, text=True, capture_output=True).stdout.strip()
        if os.path.exists(os.path.join(out, "initdb")):
            return out
    except (OSError, subprocess.CalledProcessError):
        pass
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not candidates:
        raise SystemExit("bench: no PostgreSQL server binaries (initdb) found")
    return os.path.dirname(candidates[-1])


class StockServer:
    ROLE = "bench"

    def __init__(self, port=5499):
        self.bindir = _bindir()
        self.port = port
        self.root = tempfile.mkdtemp(prefix="warehouse-bench-pg-", dir="/var/tmp")
        self.data = os.path.join(self.root, "data")
        self.socket = os.path.join(self.root, "run")
        os.makedirs(self.socket)
        self.as_user = []
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.root, account.pw_uid, account.pw_gid)
            os.chown(self.socket, account.pw_uid, account.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args):
        return subprocess.run(self.as_user + list(args), check=True, text=True, capture_output=True)

    def start(self):
        self._run(os.path.join(self.bindir, "initdb"), "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync")
        self._run(os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-w", "-l", os.path.join(self.root, "log"),
                  "-o", f"-p {self.port} -k {self.socket} -c listen_addresses=''", "start")
        admin = f"postgresql:///postgres?host={self.socket}&port={self.port}&user=postgres"
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", admin, "-c",
                        f"create role {self.ROLE} login createdb nosuperuser"], check=True, capture_output=True)
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", admin, "-c",
                        f"create database {self.ROLE} owner {self.ROLE}"], check=True, capture_output=True)
        self.settings = subprocess.run(
            ["psql", "-X", "-At", admin, "-c", "select current_setting('server_version') || ', wal_level=' || current_setting('wal_level') "
             "|| ', shared_buffers=' || current_setting('shared_buffers')"], check=True, text=True, capture_output=True).stdout.strip()
        return self

    @property
    def url(self):
        """The non-superuser's URL: what a user sets DATABASE_URL to."""
        return f"postgresql:///{self.ROLE}?host={self.socket}&port={self.port}&user={self.ROLE}"

    def stop(self):
        try:
            self._run(os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-m", "fast", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
