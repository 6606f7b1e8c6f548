"""Terraform's aws provider against `ferrocache up`: apply, no drift, destroy.

Needs the `terraform` binary and the hashicorp/aws provider in a local filesystem
mirror (it cannot be downloaded here); the test says so and skips when either is
missing."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import redis

from conftest import ROOT, free_port
from test_control_plane import ControlPlane, port_open

MIRRORS = [Path("/opt/tf-plugins"), Path.home() / ".terraform.d" / "plugins"]


def provider_mirror():
    for mirror in MIRRORS:
        if (mirror / "registry.terraform.io" / "hashicorp" / "aws").is_dir():
            return mirror
    return None


@pytest.fixture
def terraform(tmp_path):
    binary = shutil.which("terraform")
    mirror = provider_mirror()
    if binary is None or mirror is None:
        pytest.skip("terraform or a local mirror of the hashicorp/aws provider is not installed")
    rc = tmp_path / "terraformrc"
    rc.write_text(f'''provider_installation {{
  filesystem_mirror {{
    path    = "{mirror}"
    include = ["registry.terraform.io/hashicorp/aws"]
  }}
  direct {{
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }}
}}
''')
    workdir = tmp_path / "tf"
    shutil.copytree(ROOT / "tests" / "terraform", workdir)
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(rc), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}

    def run(*args, check=True):
        result = subprocess.run([binary, *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=600)
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    return run


def test_apply_plan_destroy(tmp_path, terraform):
    up = ControlPlane(tmp_path / "data")
    port = free_port()
    variables = ["-var", f"endpoint={up.endpoint}", "-var", f"port={port}"]
    try:
        terraform("init", "-input=false")
        terraform("apply", "-auto-approve", "-input=false", *variables)
        outputs = terraform("output", "-raw", "port").stdout
        assert int(outputs) == port
        r = redis.Redis(host="127.0.0.1", port=port)
        r.set("user:1001:session", '{"username":"john_doe","cart_items":3}', ex=3600)
        assert r.config_get("maxmemory-policy")["maxmemory-policy"] == "allkeys-lru"
        # What Terraform reads back matches what it wrote: no drift.
        plan = terraform("plan", "-input=false", "-detailed-exitcode", *variables, check=False)
        assert plan.returncode == 0, plan.stdout + plan.stderr
        tags = up.aws("list-tags-for-resource", "--resource-name", up.cluster("tf-sessions")["ARN"])["TagList"]
        assert {"Key": "team", "Value": "web"} in tags
        terraform("destroy", "-auto-approve", "-input=false", *variables)
        assert up.aws("describe-cache-clusters")["CacheClusters"] == []
        assert not port_open(port)
    finally:
        up.stop()
