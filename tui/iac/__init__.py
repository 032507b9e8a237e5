"""Import a project's services from CloudFormation, SAM, CDK and Terraform. Never imports Textual."""
