"""`ferrocache up` end to end: the real AWS CLI and boto3 against the control plane,
real nodes reached with redis-cli, redis-py and pymemcache."""

import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import pytest
import redis

from conftest import FERROCACHE, free_port

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1"}


def port_open(port, host="127.0.0.1"):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def wait_until(check, timeout=20, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class ControlPlane:
    """A `ferrocache up` process with its own data directory and node port range."""

    def __init__(self, data_dir, api_port=None, *extra):
        self.data_dir = data_dir
        self.port = api_port or free_port()
        base = random.randrange(30000, 39000, 100)
        self.node_ports = (base, base + 99)
        self.extra = extra
        self.start()

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.log = open(self.data_dir.parent / f"up-{self.port}.log", "a")
        argv = [FERROCACHE, "up", "--data-dir", str(self.data_dir), "--listen", f"127.0.0.1:{self.port}",
                "--node-ports", f"{self.node_ports[0]}-{self.node_ports[1]}", *self.extra]
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT)
        wait_until(lambda: port_open(self.port), 10, "the API to listen")

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=30)
        self.log.close()

    def aws(self, *args, check=True):
        env = {**os.environ, **CREDENTIALS}
        # The AWS CLI exactly as `aws` runs it (its entry point), from the same Python.
        result = subprocess.run([sys.executable, "-m", "awscli", "elasticache", "--endpoint-url", self.endpoint, "--output", "json", *args],
                                capture_output=True, text=True, env=env, timeout=900)
        if check:
            assert result.returncode == 0, result.stderr
            return json.loads(result.stdout) if result.stdout.strip() else {}
        return result

    def aws_error(self, *args):
        result = self.aws(*args, check=False)
        assert result.returncode != 0, result.stdout
        match = re.search(r"An error occurred \((\w+)\)", result.stderr)
        assert match, result.stderr
        return match.group(1), result.stderr

    def boto3(self, **kwargs):
        options = dict(endpoint_url=self.endpoint, region_name="us-east-1",
                       aws_access_key_id="test", aws_secret_access_key="test")
        options.update(kwargs)
        return boto3.client("elasticache", **options)

    def raw(self, form, sign=True, secret="test"):
        """A raw POST, signed like botocore signs it; returns (status, body)."""
        body = urllib.parse.urlencode(form)
        request = botocore.awsrequest.AWSRequest(
            method="POST", url=self.endpoint + "/", data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        if sign:
            creds = botocore.credentials.Credentials("test", secret)
            botocore.auth.SigV4Auth(creds, "elasticache", "us-east-1").add_auth(request)
        prepared = request.prepare()
        req = urllib.request.Request(prepared.url, data=body.encode(), headers=dict(prepared.headers), method="POST")
        try:
            with urllib.request.urlopen(req, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def cluster(self, cluster_id):
        return self.aws("describe-cache-clusters", "--cache-cluster-id", cluster_id,
                        "--show-cache-node-info")["CacheClusters"][0]

    def endpoints(self, cluster_id):
        return [(n["Endpoint"]["Address"], n["Endpoint"]["Port"]) for n in self.cluster(cluster_id)["CacheNodes"]]

    def events(self, cluster_id):
        events = self.aws("describe-events", "--source-identifier", cluster_id, "--source-type", "cache-cluster")
        return [e["Message"] for e in events["Events"]]


@pytest.fixture
def up(tmp_path):
    plane = ControlPlane(tmp_path / "data")
    yield plane
    # Leave nothing running: delete what the test left, then stop.
    try:
        for cluster in plane.aws("describe-cache-clusters")["CacheClusters"]:
            if cluster["CacheClusterStatus"] != "deleting":
                plane.aws("delete-cache-cluster", "--cache-cluster-id", cluster["CacheClusterId"], check=False)
        wait_until(lambda: not plane.aws("describe-cache-clusters")["CacheClusters"], 30, "clusters to go")
    finally:
        plane.stop()


def test_seed_walkthrough(up):
    up.aws("create-cache-subnet-group", "--cache-subnet-group-name", "Elasticache-subnet-group",
           "--cache-subnet-group-description", "Private subnet access for Elasticache",
           "--subnet-ids", "subnet-1", "subnet-2")
    created = up.aws("create-cache-cluster", "--cache-cluster-id", "user-session-cache", "--engine", "redis",
                     "--cache-node-type", "cache.t3.micro", "--num-cache-nodes", "1", "--port", "6379")
    assert created["CacheCluster"]["CacheClusterStatus"] == "creating"
    up.aws("wait", "cache-cluster-available", "--cache-cluster-id", "user-session-cache")
    cluster = up.cluster("user-session-cache")
    assert cluster["CacheClusterStatus"] == "available"
    assert cluster["CacheNodes"][0]["CacheNodeId"] == "0001"
    assert cluster["CacheNodes"][0]["CustomerAvailabilityZone"] == "us-east-1a"
    host, port = up.endpoints("user-session-cache")[0]
    if not port_open(6379) or port == 6379:
        assert port == 6379  # the requested port, when it was free

    session = '{"username":"john_doe","cart_items":3}'
    cli = ["redis-cli", "-h", host, "-p", str(port)]
    assert subprocess.check_output([*cli, "SET", "user:1001:session", session, "EX", "3600"], text=True) == "OK\n"
    assert subprocess.check_output([*cli, "GET", "user:1001:session"], text=True) == session + "\n"
    assert 3595 <= int(subprocess.check_output([*cli, "TTL", "user:1001:session"], text=True)) <= 3600

    r = redis.Redis(host=host, port=port, db=0)
    r.set("user:1001:session", session, ex=3600)
    assert r.get("user:1001:session") == session.encode()
    # cache.t3.micro is sized as ElastiCache sizes it, with ElastiCache's default policy.
    assert r.config_get("maxmemory")["maxmemory"] == "536870912"
    assert r.config_get("maxmemory-policy")["maxmemory-policy"] == "volatile-lru"

    assert "Cache cluster created" in up.events("user-session-cache")
    deleted = up.aws("delete-cache-cluster", "--cache-cluster-id", "user-session-cache")
    assert deleted["CacheCluster"]["CacheClusterStatus"] == "deleting"
    up.aws("wait", "cache-cluster-deleted", "--cache-cluster-id", "user-session-cache")
    code, _ = up.aws_error("describe-cache-clusters", "--cache-cluster-id", "user-session-cache")
    assert code == "CacheClusterNotFound"
    wait_until(lambda: not port_open(port), 10, "the node to stop")
    assert "Cache cluster deleted" in up.events("user-session-cache")


def test_boto3_waiters_and_shapes(up):
    ec = up.boto3()
    created = ec.create_cache_cluster(CacheClusterId="Boto-Cache", Engine="redis", CacheNodeType="cache.t3.small",
                                      Tags=[{"Key": "team", "Value": "web"}])["CacheCluster"]
    assert created["CacheClusterId"] == "boto-cache"  # stored lower-cased
    ec.get_waiter("cache_cluster_available").wait(CacheClusterId="boto-cache")
    cluster = ec.describe_cache_clusters(CacheClusterId="boto-cache", ShowCacheNodeInfo=True)["CacheClusters"][0]
    assert cluster["CacheNodes"][0]["Endpoint"]["Port"] > 0
    assert cluster["ARN"] == "arn:aws:elasticache:us-east-1:000000000000:cluster:boto-cache"
    assert cluster["CacheClusterCreateTime"].year >= 2024
    tags = ec.list_tags_for_resource(ResourceName=cluster["ARN"])["TagList"]
    assert tags == [{"Key": "team", "Value": "web"}]
    versions = ec.describe_cache_engine_versions(Engine="redis")["CacheEngineVersions"]
    assert versions[0]["CacheParameterGroupFamily"] == "redis7"
    ec.delete_cache_cluster(CacheClusterId="boto-cache")
    ec.get_waiter("cache_cluster_deleted").wait(CacheClusterId="boto-cache")


def test_memcached_cluster_scales_out_and_in(up):
    up.aws("create-cache-cluster", "--cache-cluster-id", "sessions-mc", "--engine", "memcached",
           "--cache-node-type", "cache.t3.micro", "--num-cache-nodes", "3", "--az-mode", "cross-az")
    up.aws("wait", "cache-cluster-available", "--cache-cluster-id", "sessions-mc")
    cluster = up.cluster("sessions-mc")
    assert [n["CacheNodeId"] for n in cluster["CacheNodes"]] == ["0001", "0002", "0003"]
    assert cluster["ConfigurationEndpoint"]["Port"] == cluster["CacheNodes"][0]["Endpoint"]["Port"]
    assert {n["CustomerAvailabilityZone"] for n in cluster["CacheNodes"]} == {"us-east-1a", "us-east-1b", "us-east-1c"}

    from pymemcache.client.base import Client
    for i, (host, port) in enumerate(up.endpoints("sessions-mc")):
        client = Client((host, port))
        assert client.set(f"k{i}", f"v{i}")
        assert client.get(f"k{i}") == f"v{i}".encode()
        client.close()

    up.aws("modify-cache-cluster", "--cache-cluster-id", "sessions-mc", "--num-cache-nodes", "5",
           "--apply-immediately")
    up.aws("wait", "cache-cluster-available", "--cache-cluster-id", "sessions-mc")
    endpoints = up.endpoints("sessions-mc")
    assert len(endpoints) == 5
    for host, port in endpoints:
        assert Client((host, port)).version()

    removed_ports = [port for _, port in endpoints[3:]]
    code, _ = up.aws_error("modify-cache-cluster", "--cache-cluster-id", "sessions-mc", "--num-cache-nodes", "3",
                           "--cache-node-ids-to-remove", "0004", "--apply-immediately")
    assert code == "InvalidParameterValue"
    up.aws("modify-cache-cluster", "--cache-cluster-id", "sessions-mc", "--num-cache-nodes", "3",
           "--cache-node-ids-to-remove", "0004", "0005", "--apply-immediately")
    up.aws("wait", "cache-cluster-available", "--cache-cluster-id", "sessions-mc")
    assert [n["CacheNodeId"] for n in up.cluster("sessions-mc")["CacheNodes"]] == ["0001", "0002", "0003"]
    for port in removed_ports:
        assert not port_open(port)
    events = up.events("sessions-mc")
    assert "Added cache node 0005 in availability zone us-east-1b" in events
    assert "Removed cache node 0004" in events


def test_parameter_group_reaches_the_nodes(up):
    up.aws("create-cache-parameter-group", "--cache-parameter-group-name", "sessions-params",
           "--cache-parameter-group-family", "redis7", "--description", "session cache")
    up.aws("modify-cache-parameter-group", "--cache-parameter-group-name", "sessions-params",
           "--parameter-name-values", "ParameterName=maxmemory-policy,ParameterValue=allkeys-lru")
    up.aws("create-cache-cluster", "--cache-cluster-id", "tuned", "--engine", "redis",
           "--cache-node-type", "cache.t3.micro", "--cache-parameter-group-name", "sessions-params")
    up.aws("wait", "cache-cluster-available", "--cache-cluster-id", "tuned")
    host, port = up.endpoints("tuned")[0]
    r = redis.Redis(host=host, port=port)
    assert r.config_get("maxmemory-policy")["maxmemory-policy"] == "allkeys-lru"

    # A change to the group reaches the running node.
    up.aws("modify-cache-parameter-group", "--cache-parameter-group-name", "sessions-params",
           "--parameter-name-values", "ParameterName=notify-keyspace-events,ParameterValue=KEA",
           "ParameterName=timeout,ParameterValue=300")
    wait_until(lambda: r.config_get("timeout")["timeout"] == "300", 20, "timeout to reach the node")
    assert set(r.config_get("notify-keyspace-events")["notify-keyspace-events"]) == set("AKE")
    wait_until(lambda: up.cluster("tuned")["CacheParameterGroup"]["ParameterApplyStatus"] == "in-sync", 20,
               "in-sync")
    params = up.aws("describe-cache-parameters", "--cache-parameter-group-name", "sessions-params",
                    "--source", "user")["Parameters"]
    assert {p["ParameterName"]: p["ParameterValue"] for p in params} == {
        "maxmemory-policy": "allkeys-lru", "notify-keyspace-events": "KEA", "timeout": "300"}

    # Bad values and read-only groups get ElastiCache's errors.
    code, _ = up.aws_error("modify-cache-parameter-group", "--cache-parameter-group-name", "sessions-params",
                           "--parameter-name-values", "ParameterName=timeout,ParameterValue=5")
    assert code == "InvalidParameterValue"
    code, _ = up.aws_error("modify-cache-parameter-group", "--cache-parameter-group-name", "default.redis7",
                           "--parameter-name-values", "ParameterName=timeout,ParameterValue=0")
    assert code == "InvalidCacheParameterGroupState"
    code, _ = up.aws_error("delete-cache-parameter-group", "--cache-parameter-group-name", "sessions-params")
    assert code == "InvalidCacheParameterGroupState"

    up.aws("reset-cache-parameter-group", "--cache-parameter-group-name", "sessions-params",
           "--reset-all-parameters")
    wait_until(lambda: r.config_get("maxmemory-policy")["maxmemory-policy"] == "volatile-lru", 20, "reset")
    defaults = up.aws("describe-engine-default-parameters", "--cache-parameter-group-family", "memcached1.6")
    names = {p["ParameterName"] for p in defaults["EngineDefaults"]["Parameters"]}
    assert {"max_item_size", "max_simultaneous_connections", "chunk_size"} <= names


def test_tags_events_and_reboot(up):
    up.aws("create-cache-cluster", "--cache-cluster-id", "tagged", "--engine", "redis",
           "--cache-node-type", "cache.t3.micro")
    up.aws("wait", "cache-cluster-available", "--cache-cluster-id", "tagged")
    arn = up.cluster("tagged")["ARN"]
    up.aws("add-tags-to-resource", "--resource-name", arn, "--tags", "Key=env,Value=prod", "Key=team,Value=web")
    tags = up.aws("list-tags-for-resource", "--resource-name", arn)["TagList"]
    assert tags == [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "web"}]
    up.aws("remove-tags-from-resource", "--resource-name", arn, "--tag-keys", "env")
    assert up.aws("list-tags-for-resource", "--resource-name", arn)["TagList"] == [{"Key": "team", "Value": "web"}]
    code, _ = up.aws_error("remove-tags-from-resource", "--resource-name", arn, "--tag-keys", "env")
    assert code == "TagNotFound"
    code, _ = up.aws_error("list-tags-for-resource", "--resource-name", arn.replace("tagged", "nothere"))
    assert code == "CacheClusterNotFound"
    code, _ = up.aws_error("list-tags-for-resource", "--resource-name", "not-an-arn")
    assert code == "InvalidARN"

    host, port = up.endpoints("tagged")[0]
    redis.Redis(host=host, port=port).set("before", "reboot")
    rebooting = up.aws("reboot-cache-cluster", "--cache-cluster-id", "tagged", "--cache-node-ids-to-reboot", "0001")
    assert rebooting["CacheCluster"]["CacheClusterStatus"] == "rebooting cache cluster nodes"
    up.aws("wait", "cache-cluster-available", "--cache-cluster-id", "tagged")
    assert redis.Redis(host=host, port=port).get("before") is None  # a restarted node starts empty
    assert "Cache node 0001 restarted" in up.events("tagged")


def test_dead_node_is_recovered(up):
    up.aws("create-cache-cluster", "--cache-cluster-id", "fragile", "--engine", "redis",
           "--cache-node-type", "cache.t3.micro")
    up.aws("wait", "cache-cluster-available", "--cache-cluster-id", "fragile")
    host, port = up.endpoints("fragile")[0]
    pid = int(redis.Redis(host=host, port=port).info("server")["process_id"])
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: "Finished recovery for cache nodes 0001" in up.events("fragile"), 30, "recovery")
    assert redis.Redis(host=host, port=port).ping()
    assert "Recovering cache nodes 0001" in up.events("fragile")


def test_restart_adopts_running_nodes(tmp_path):
    plane = ControlPlane(tmp_path / "data")
    try:
        plane.aws("create-cache-cluster", "--cache-cluster-id", "durable", "--engine", "redis",
                  "--cache-node-type", "cache.t3.micro")
        plane.aws("wait", "cache-cluster-available", "--cache-cluster-id", "durable")
        host, port = plane.endpoints("durable")[0]
        r = redis.Redis(host=host, port=port)
        r.set("survives", "yes")
        pid = r.info("server")["process_id"]

        # A crash of the control plane leaves the node running; the next start adopts it.
        plane.stop(signal.SIGKILL)
        assert r.get("survives") == b"yes"
        plane.start()
        assert plane.cluster("durable")["CacheClusterStatus"] == "available"
        time.sleep(1.5)  # a health pass
        assert r.get("survives") == b"yes"
        assert r.info("server")["process_id"] == pid

        # A clean stop stops the nodes; the next start brings the cluster back.
        plane.stop(signal.SIGTERM)
        assert not port_open(port)
        plane.start()
        wait_until(lambda: port_open(port), 20, "the node to come back")
        plane.aws("wait", "cache-cluster-available", "--cache-cluster-id", "durable")
        assert redis.Redis(host=host, port=port).ping()
        assert "Cache node 0001 restarted" in plane.events("durable")
        plane.aws("delete-cache-cluster", "--cache-cluster-id", "durable")
        plane.aws("wait", "cache-cluster-deleted", "--cache-cluster-id", "durable")
    finally:
        plane.stop()


def error_code(body):
    return re.search(r"<Code>(\w+)</Code>", body).group(1)


def test_bad_requests_get_elasticache_errors(up):
    status, body = up.raw({"Action": "LaunchRockets", "Version": "2015-02-02"})
    assert (status, error_code(body)) == (400, "InvalidAction")
    assert "<ErrorResponse" in body and "<RequestId>" in body

    status, body = up.raw({"Action": "CreateCacheCluster", "Version": "2015-02-02", "Engine": "redis",
                           "CacheNodeType": "cache.t3.micro"})
    assert (status, error_code(body)) == (400, "MissingParameter")

    status, body = up.raw({"Action": "DeleteCacheCluster", "Version": "2015-02-02", "CacheClusterId": "ghost"})
    assert (status, error_code(body)) == (404, "CacheClusterNotFound")

    status, body = up.raw({"Action": "DescribeCacheSubnetGroups", "Version": "2015-02-02",
                           "CacheSubnetGroupName": "ghost"})
    assert (status, error_code(body)) == (400, "CacheSubnetGroupNotFoundFault")

    for bad_id in ["9lives", "ends-", "two--hyphens", "a" * 51, "under_score"]:
        code, _ = up.aws_error("create-cache-cluster", "--cache-cluster-id", bad_id, "--engine", "redis",
                               "--cache-node-type", "cache.t3.micro")
        assert code == "InvalidParameterValue", bad_id
    code, message = up.aws_error("create-cache-cluster", "--cache-cluster-id", "two-redis", "--engine", "redis",
                                 "--cache-node-type", "cache.t3.micro", "--num-cache-nodes", "2")
    assert code == "InvalidParameterValue" and "NumCacheNodes parameter greater than 1" in message
    code, _ = up.aws_error("create-cache-cluster", "--cache-cluster-id", "huge-mc", "--engine", "memcached",
                           "--cache-node-type", "cache.t3.micro", "--num-cache-nodes", "41")
    assert code == "NodeQuotaForClusterExceeded"
    code, _ = up.aws_error("create-cache-cluster", "--cache-cluster-id", "odd-type", "--engine", "redis",
                           "--cache-node-type", "cache.x9.huge")
    assert code == "InvalidParameterValue"
    code, _ = up.aws_error("create-cache-cluster", "--cache-cluster-id", "no-group", "--engine", "redis",
                           "--cache-node-type", "cache.t3.micro", "--cache-subnet-group-name", "ghost")
    assert code == "CacheSubnetGroupNotFoundFault"
    code, _ = up.aws_error("create-cache-cluster", "--cache-cluster-id", "no-params", "--engine", "redis",
                           "--cache-node-type", "cache.t3.micro", "--cache-parameter-group-name", "ghost")
    assert code == "CacheParameterGroupNotFound"
    # None of the rejected requests left a cluster behind.
    assert up.aws("describe-cache-clusters")["CacheClusters"] == []

    up.aws("create-cache-cluster", "--cache-cluster-id", "once", "--engine", "redis",
           "--cache-node-type", "cache.t3.micro")
    code, _ = up.aws_error("create-cache-cluster", "--cache-cluster-id", "once", "--engine", "redis",
                           "--cache-node-type", "cache.t3.micro")
    assert code == "CacheClusterAlreadyExists"
    up.aws("wait", "cache-cluster-available", "--cache-cluster-id", "once")
    # Modifying a cluster that is not available: a frozen node makes rebooting and
    # deleting take the reconciler's full stop timeout, long enough to be seen.
    host, port = up.endpoints("once")[0]
    pid = int(redis.Redis(host=host, port=port).info("server")["process_id"])
    os.kill(pid, signal.SIGSTOP)
    up.aws("reboot-cache-cluster", "--cache-cluster-id", "once", "--cache-node-ids-to-reboot", "0001")
    code, _ = up.aws_error("modify-cache-cluster", "--cache-cluster-id", "once", "--cache-node-type",
                           "cache.t3.small", "--apply-immediately")
    assert code == "InvalidCacheClusterState"
    up.aws("wait", "cache-cluster-available", "--cache-cluster-id", "once")
    pid = int(redis.Redis(host=host, port=port).info("server")["process_id"])
    os.kill(pid, signal.SIGSTOP)
    up.aws("delete-cache-cluster", "--cache-cluster-id", "once")
    assert up.cluster("once")["CacheClusterStatus"] == "deleting"
    code, _ = up.aws_error("modify-cache-cluster", "--cache-cluster-id", "once", "--cache-node-type",
                           "cache.t3.small", "--apply-immediately")
    assert code == "InvalidCacheClusterState"
    code, _ = up.aws_error("delete-cache-cluster", "--cache-cluster-id", "once")
    assert code == "InvalidCacheClusterState"
    up.aws("wait", "cache-cluster-deleted", "--cache-cluster-id", "once")
    assert not port_open(port)
    node_dirs = list((up.data_dir / "nodes").glob("*"))
    assert node_dirs == [], "a deleted cluster leaves no node behind"


def test_signatures_are_verified_when_credentials_are_configured(tmp_path):
    creds = tmp_path / "credentials"
    creds.write_text("test test\n")
    plane = ControlPlane(tmp_path / "data", None, "--credentials", str(creds))
    try:
        assert plane.boto3().describe_cache_clusters()["CacheClusters"] == []
        status, body = plane.raw({"Action": "DescribeCacheClusters", "Version": "2015-02-02"}, secret="wrong")
        assert (status, error_code(body)) == (403, "SignatureDoesNotMatch")
        status, body = plane.raw({"Action": "DescribeCacheClusters", "Version": "2015-02-02"}, sign=False)
        assert status == 403
    finally:
        plane.stop()


def test_memcached_parameters_apply_at_reboot(up):
    from pymemcache.client.base import Client

    def item_size_max(host, port):
        stats = Client((host, port)).stats("settings")
        return int(stats.get(b"item_size_max", stats.get("item_size_max")))

    up.aws("create-cache-parameter-group", "--cache-parameter-group-name", "big-items",
           "--cache-parameter-group-family", "memcached1.6", "--description", "larger items")
    up.aws("modify-cache-parameter-group", "--cache-parameter-group-name", "big-items",
           "--parameter-name-values", "ParameterName=max_item_size,ParameterValue=2097152")
    up.aws("create-cache-cluster", "--cache-cluster-id", "mc-params", "--engine", "memcached",
           "--cache-node-type", "cache.t3.micro", "--num-cache-nodes", "1",
           "--cache-parameter-group-name", "big-items")
    up.aws("wait", "cache-cluster-available", "--cache-cluster-id", "mc-params")
    host, port = up.endpoints("mc-params")[0]
    assert item_size_max(host, port) == 2097152

    # memcached takes its settings at start: a change waits for a reboot.
    up.aws("modify-cache-parameter-group", "--cache-parameter-group-name", "big-items",
           "--parameter-name-values", "ParameterName=max_item_size,ParameterValue=4194304")
    wait_until(lambda: up.cluster("mc-params")["CacheParameterGroup"]["ParameterApplyStatus"] == "pending-reboot",
               20, "pending-reboot")
    assert up.cluster("mc-params")["CacheParameterGroup"]["CacheNodeIdsToReboot"] == ["0001"]
    assert item_size_max(host, port) == 2097152
    up.aws("reboot-cache-cluster", "--cache-cluster-id", "mc-params", "--cache-node-ids-to-reboot", "0001")
    up.aws("wait", "cache-cluster-available", "--cache-cluster-id", "mc-params")
    assert item_size_max(host, port) == 4194304
    assert up.cluster("mc-params")["CacheParameterGroup"]["ParameterApplyStatus"] == "in-sync"
