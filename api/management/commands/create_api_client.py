"""python manage.py create_api_client --organisation ORG --scopes plans,rosters --name NAME

Prints the token as the last line (shown this once; only its hash is stored)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.clients import client_create
from jurisdiction.models import Organisation


class Command(BaseCommand):
    help = "为单位创建接口客户端，最后一行输出访问令牌（只显示这一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="单位 id 或完整名称")
        parser.add_argument("--scopes", required=True, help="逗号分隔：plans,rosters,completions,ledger")
        parser.add_argument("--name", required=True, help="客户端名称")
        parser.add_argument("--webhook-url", default="", help="可选：状态变更回调地址（https）")

    def handle(self, *args, **options):
        ref = options["organisation"].strip()
        organisation = Organisation.objects.filter(name=ref).first()
        if organisation is None and ref.isdigit():
            organisation = Organisation.objects.filter(pk=int(ref)).first()
        if organisation is None:
            raise CommandError(f"找不到单位：{ref}（请填写单位 id 或完整名称）")
        try:
            client, token, secret = client_create(organisation=organisation, name=options["name"],
                                                  scopes=options["scopes"], webhook_url=options["webhook_url"])
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self.stdout.write(f"已为“{organisation.name}”创建接口客户端 {client.pk}（{client.name}），"
                          f"权限范围：{','.join(client.scopes)}。令牌只显示这一次，请妥善保存。")
        if secret:
            self.stdout.write(f"回调密钥（只显示这一次）：{secret}")
        self.stdout.write(token)
