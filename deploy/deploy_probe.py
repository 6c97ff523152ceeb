"""Provision the contract's probe endpoint on SageMaker: a model, an endpoint config, an endpoint.

The image is the probe container (`container/Dockerfile`), pushed to ECR. The
endpoint and variant names come from specs/contract.json, so a live target
matches what the suite expects:

    python deploy/deploy_probe.py --image-uri 123456789012.dkr.ecr.us-east-1.amazonaws.com/probe:latest \\
        --role-arn arn:aws:iam::123456789012:role/SageMakerProbe --instance-type ml.m5.large --wait

`--endpoint-url` points the client elsewhere (a mock such as moto_server).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import Any

import boto3

from invokeendpoint_conformance import specs

DEFAULTS = specs.contract()["defaults"]


@dataclass(frozen=True)
class Deployment:
    model_arn: str
    endpoint_config_arn: str
    endpoint_arn: str


def deploy(
    client: Any,  # boto3's "sagemaker" client (no type stubs for it are installed)
    *,
    image_uri: str,
    role_arn: str,
    instance_type: str,
    endpoint_name: str = DEFAULTS["probe_endpoint"],
    variant_name: str = DEFAULTS["variant"],
    instance_count: int = 1,
) -> Deployment:
    """Create the model, the one-variant endpoint config and the endpoint (not waiting for service)."""
    model_name, config_name = f"{endpoint_name}-model", f"{endpoint_name}-config"
    model = client.create_model(
        ModelName=model_name,
        PrimaryContainer={"Image": image_uri, "Mode": "SingleModel"},
        ExecutionRoleArn=role_arn,
    )
    config = client.create_endpoint_config(
        EndpointConfigName=config_name,
        ProductionVariants=[
            {
                "VariantName": variant_name,
                "ModelName": model_name,
                "InitialInstanceCount": instance_count,
                "InstanceType": instance_type,
                "InitialVariantWeight": 1.0,
            }
        ],
    )
    endpoint = client.create_endpoint(EndpointName=endpoint_name, EndpointConfigName=config_name)
    return Deployment(model["ModelArn"], config["EndpointConfigArn"], endpoint["EndpointArn"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image-uri", required=True, help="the probe container image (ECR URI)")
    parser.add_argument("--role-arn", required=True, help="SageMaker execution role ARN")
    parser.add_argument("--instance-type", default="ml.m5.large", help="default %(default)s")
    parser.add_argument("--instance-count", type=int, default=1)
    parser.add_argument("--region", default=DEFAULTS["region"], help="default %(default)s")
    parser.add_argument("--endpoint-url", help="SageMaker API URL (default: AWS's for the region)")
    parser.add_argument("--endpoint-name", default=DEFAULTS["probe_endpoint"], help="default %(default)s")
    parser.add_argument("--wait", action="store_true", help="wait until the endpoint is InService")
    args = parser.parse_args(argv)

    client = boto3.client("sagemaker", region_name=args.region, endpoint_url=args.endpoint_url)
    deployment = deploy(
        client,
        image_uri=args.image_uri,
        role_arn=args.role_arn,
        instance_type=args.instance_type,
        endpoint_name=args.endpoint_name,
        instance_count=args.instance_count,
    )
    print(f"model:           {deployment.model_arn}")
    print(f"endpoint config: {deployment.endpoint_config_arn}")
    print(f"endpoint:        {deployment.endpoint_arn}")
    if args.wait:
        client.get_waiter("endpoint_in_service").wait(EndpointName=args.endpoint_name)
        print(f"{args.endpoint_name} is InService")
    return 0


if __name__ == "__main__":
    sys.exit(main())
