"""The built-in filter operators; the App registers them in its `filter_operators` registry."""

from __future__ import annotations

from deskbase.data.filters.operators.array import AllOfOperator, AnyOfOperator, NoneOfOperator
from deskbase.data.filters.operators.base import (
    Operand,
    Operator,
    RelatedPairs,
    negative,
    positive,
)
from deskbase.data.filters.operators.date import (
    DateAfterOperator,
    DateBeforeOperator,
    DateOnOperator,
)
from deskbase.data.filters.operators.equality import (
    EqOperator,
    InOperator,
    NeOperator,
    NotInOperator,
)
from deskbase.data.filters.operators.null import EmptyOperator, NotEmptyOperator
from deskbase.data.filters.operators.range import (
    BetweenOperator,
    GteOperator,
    GtOperator,
    LteOperator,
    LtOperator,
)
from deskbase.data.filters.operators.text import (
    EndsWithOperator,
    IncludesOperator,
    NotIncludesOperator,
    StartsWithOperator,
)

__all__ = ["Operand", "Operator", "RelatedPairs", "builtin_operators", "negative", "positive"]


def builtin_operators() -> list[Operator]:
    """One instance of every built-in operator, to register at start-up:

    ```python
    operators: Registry[Operator] = Registry("filter operator")
    for operator in builtin_operators():
        operators.register(operator)
    ```
    """
    return [
        EqOperator(),
        NeOperator(),
        GtOperator(),
        GteOperator(),
        LtOperator(),
        LteOperator(),
        InOperator(),
        NotInOperator(),
        IncludesOperator(),
        NotIncludesOperator(),
        StartsWithOperator(),
        EndsWithOperator(),
        EmptyOperator(),
        NotEmptyOperator(),
        BetweenOperator(),
        AnyOfOperator(),
        AllOfOperator(),
        NoneOfOperator(),
        DateOnOperator(),
        DateBeforeOperator(),
        DateAfterOperator(),
    ]
