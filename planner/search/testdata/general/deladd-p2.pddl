; Optimal: 1 step: check a (a stays lit: the conditional add wins over the
; delete). Were the add dropped, a would go dark for good (nothing is
; ready, so reset is out) and the problem would be unsolvable.
(define (problem deladd-p2) (:domain deladd)
  (:objects a)
  (:init (mark a) (lit a))
  (:goal (and (done a) (lit a))))
