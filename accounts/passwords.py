"""Password rules whose Django messages have no Chinese translation in Django 5.2."""

from django.contrib.auth.password_validation import MinimumLengthValidator as _DjangoMinimumLength
from django.core.exceptions import ValidationError


class MinimumLengthValidator(_DjangoMinimumLength):
    """Django 5.2 reworded this message and its zh-hans catalogue still lacks the new words."""

    def get_error_message(self) -> str:
        return f"密码太短：至少需要 {self.min_length} 个字符。"

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short",
                                  params={"min_length": self.min_length})

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"
