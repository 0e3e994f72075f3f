"""gunicorn settings: `gunicorn -c python:casework.gunicorn_conf casework.wsgi` (see docs/deploy.md).

Everything comes from the environment, like the Django settings.
"""

import multiprocessing
import os

bind = os.getenv("GUNICORN_BIND") or f"{os.getenv('HOST', '127.0.0.1')}:{os.getenv('PORT', '8000')}"
# Web workers per host: WEB_CONCURRENCY, else 2 per core plus one, at most 8.
workers = int(os.getenv("WEB_CONCURRENCY") or min(8, multiprocessing.cpu_count() * 2 + 1))
threads = int(os.getenv("GUNICORN_THREADS", "2"))
# Slow work runs on the job workers, so a request that takes longer than this is a bug.
timeout = int(os.getenv("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.getenv("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Load Django once in the master, then fork: a new worker answers at once.
preload_app = os.getenv("GUNICORN_PRELOAD", "1") != "0"
# Recycle workers now and then, so that no slow leak grows without bound.
max_requests = int(os.getenv("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Trust X-Forwarded-* only from the load balancer's addresses.
forwarded_allow_ips = os.getenv("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.getenv("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
errorlog = "-"
loglevel = os.getenv("GUNICORN_LOG_LEVEL", "info")
# gunicorn 23+ opens a control socket in ~/.gunicorn; several servers on one host would share
# it, and nothing here uses it.
control_socket_disable = True
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # heartbeat files off the (maybe slow) container disk
